-- :AlembicRevision [MESSAGE]: a new, empty migration, the file `alembic revision -m MESSAGE`
-- would write, by the server's `alembic.newMigration` command (nothing runs: no env.py, no
-- autogenerate). Asks for the message when none is given and, when the environment has
-- several heads, which head the migration builds on (vim.ui.input / vim.ui.select, which
-- UI plugins replace). The server creates the file through workspace/applyEdit (saved and
-- opened by merge.wrap_apply_edit) or, for a client that cannot apply edits, writes it
-- itself; either way the new migration is opened.
local compat = require('alembic_lsp.compat')

local M = {}

M.command = 'alembic.newMigration'

--- The last result of alembic.newMigration ({path, uri, revision, parent, appliedBy}),
--- or { error = message }.
M.last = nil

local function notify(message, level)
  vim.notify('alembic-lsp: ' .. message, level or vim.log.levels.INFO)
end

local function open(path)
  local escaped = vim.fn.fnameescape(path)
  if not pcall(vim.cmd, 'edit ' .. escaped) then
    vim.cmd('split ' .. escaped) -- the current buffer has unsaved changes
  end
end

local function create(client, bufnr, head, message)
  local argument = { uri = vim.uri_from_bufnr(bufnr), message = message }
  if head then
    argument.head = head
  end
  compat.request(client, 'workspace/executeCommand', {
    command = M.command,
    arguments = { argument },
  }, function(err, result)
    if err then
      M.last = { error = err.message or vim.inspect(err) }
      notify('new migration failed: ' .. M.last.error, vim.log.levels.ERROR)
      return
    end
    M.last = result
    if type(result) == 'table' and result.appliedBy == 'server' and result.path then
      open(result.path) -- written by the server: nothing else opens it
      notify('created ' .. result.path)
    end
  end, bufnr)
end

local function ask_message(message, then_)
  if message and message ~= '' then
    then_(message)
    return
  end
  vim.ui.input({ prompt = 'Message of the new migration: ' }, function(input)
    if input ~= nil then
      then_(input)
    end
  end)
end

-- The heads of the environment holding the buffer, each with its message.
-- While the server still indexes the workspace (`indexed` false) it knows no environment
-- yet: asked again every 200 ms, for up to 30 s, before saying so.
local function with_heads(client, bufnr, then_, waited)
  waited = waited or 0
  compat.request(client, 'alembic/graph', { uri = vim.uri_from_bufnr(bufnr) }, function(err, result)
    if not err and type(result) == 'table' and result.indexed == false and waited < 30000 then
      vim.defer_fn(function()
        with_heads(client, bufnr, then_, waited + 200)
      end, 200)
      return
    end
    if err or type(result) ~= 'table' or not result.environments or not result.environments[1] then
      notify('could not read the heads: ' .. (err and err.message or 'no environment for this buffer'),
        vim.log.levels.ERROR)
      return
    end
    local env = result.environments[1]
    local messages, heads, seen = {}, {}, {}
    for _, r in ipairs(env.revisions or {}) do
      messages[r.id] = r.message
    end
    for _, id in ipairs(env.heads or {}) do
      if not seen[id] then
        seen[id] = true
        table.insert(heads, { id = id, message = messages[id] or '' })
      end
    end
    then_(heads)
  end, bufnr)
end

--- A new migration in the environment of the current buffer. opts.message: the message
--- (asked when absent); opts.head: the head to build on (asked when there are several).
function M.new_migration(opts)
  opts = opts or {}
  local bufnr = vim.api.nvim_get_current_buf()
  local client = compat.clients(bufnr)[1]
  if not client then
    notify('not attached to this buffer: open a migration of the environment first',
      vim.log.levels.ERROR)
    return
  end
  local function on_head(head)
    ask_message(opts.message, function(message)
      create(client, bufnr, head, message)
    end)
  end
  if opts.head then
    on_head(opts.head)
    return
  end
  with_heads(client, bufnr, function(heads)
    if #heads <= 1 then
      on_head(heads[1] and heads[1].id or nil)
      return
    end
    vim.ui.select(heads, {
      prompt = #heads .. ' heads; build the new migration on which?',
      format_item = function(h)
        return h.id .. '  ' .. h.message
      end,
    }, function(choice)
      if choice then
        on_head(choice.id)
      end
    end)
  end)
end

function M.create_commands()
  vim.api.nvim_create_user_command('AlembicRevision', function(args)
    require('alembic_lsp.revision').new_migration({ message = args.args ~= '' and args.args or nil })
  end, { nargs = '?', desc = 'alembic-lsp: a new migration, as `alembic revision -m MESSAGE` writes it' })
end

return M
