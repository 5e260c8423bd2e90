-- The code lens command `alembic.showRevisions` ("head", "base", "N children",
-- "merge of N" above `revision = ...`): the server answers it with the Locations of the
-- revision's parents or children. They go to the quickfix list; a single one is opened.
local compat = require('alembic_lsp.compat')

local M = {}

M.command = 'alembic.showRevisions'

local function notify(message, level)
  vim.notify('alembic-lsp: ' .. message, level or vim.log.levels.INFO)
end

--- A client command handler (config `commands`): runs the lens through the server.
function M.show(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  if not client then
    return
  end
  local params = { command = command.command, arguments = command.arguments }
  compat.request(client, 'workspace/executeCommand', params, function(err, locations)
    if err then
      notify(M.command .. ' failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    if not locations or #locations == 0 then
      notify('no revisions to show for "' .. (command.title or '') .. '"')
      return
    end
    local items = vim.lsp.util.locations_to_items(locations, client.offset_encoding)
    vim.fn.setqflist({}, ' ', { title = 'alembic: ' .. (command.title or ''), items = items })
    vim.cmd(#items == 1 and 'silent cfirst' or 'copen')
  end, ctx.bufnr)
end

--- The `commands` table of a client configuration.
function M.client_commands()
  return { [M.command] = M.show }
end

return M
