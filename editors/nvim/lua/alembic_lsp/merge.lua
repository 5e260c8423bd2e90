-- :AlembicMergeHeads: asks the server for its `source.alembic.mergeHeads` code action at
-- the cursor and carries it out, then saves the new migration and opens it.
--
-- The server answers in one of two shapes, depending on what the client announced:
-- an action carrying a WorkspaceEdit (create file + text), or an action carrying the
-- command `alembic.mergeHeads`, which makes the server send that edit back through
-- workspace/applyEdit (Neovim 0.7 does not announce `documentChanges`, so it gets this
-- one). Either way the edit lands in a buffer; saving it makes the file real on disk.
local compat = require('alembic_lsp.compat')

local M = {}

M.kind = 'source.alembic.mergeHeads'
M.command = 'alembic.mergeHeads'

M.options = { save = true, open = true }

--- How the last merge was carried out: 'edit' (the action's WorkspaceEdit) or 'command'.
M.last_route = nil

local function notify(message, level)
  vim.notify('alembic-lsp: ' .. message, level or vim.log.levels.INFO)
end

-- Every file a WorkspaceEdit writes to, created (or reserved empty) ones first.
local function edited_uris(edit)
  local uris, seen = {}, {}
  local function add(uri)
    if uri and not seen[uri] then
      seen[uri] = true
      table.insert(uris, uri)
    end
  end
  for _, change in ipairs(edit.documentChanges or {}) do
    if change.kind == 'create' then
      add(change.uri)
    end
  end
  for _, change in ipairs(edit.documentChanges or {}) do
    if change.kind == nil and change.textDocument then
      add(change.textDocument.uri)
    end
  end
  -- `changes` is a map, in no order: the new migration (reserved empty on disk by the
  -- server, or not there yet) before any other file the edit moves (the head file).
  local from_changes = {}
  for uri in pairs(edit.changes or {}) do
    table.insert(from_changes, uri)
  end
  local function is_new(uri)
    return vim.fn.getfsize(vim.uri_to_fname(uri)) <= 0
  end
  table.sort(from_changes, function(a, b)
    local new_a, new_b = is_new(a), is_new(b)
    if new_a ~= new_b then
      return new_a
    end
    return a < b
  end)
  for _, uri in ipairs(from_changes) do
    add(uri)
  end
  return uris
end

local function open(path)
  local escaped = vim.fn.fnameescape(path)
  if not pcall(vim.cmd, 'edit ' .. escaped) then
    vim.cmd('split ' .. escaped) -- the current buffer has unsaved changes
  end
end

-- Saves the buffers an applied merge edit filled and shows the new migration.
local function finish(edit)
  local uris = edited_uris(edit)
  if M.options.save then
    for _, uri in ipairs(uris) do
      local bufnr = vim.uri_to_bufnr(uri)
      if vim.api.nvim_buf_is_loaded(bufnr) and vim.bo[bufnr].modified then
        vim.api.nvim_buf_call(bufnr, function()
          vim.cmd('silent keepalt write')
        end)
      end
    end
  end
  if uris[1] then
    local path = vim.uri_to_fname(uris[1])
    if M.options.open then
      open(path)
    end
    notify('created ' .. path)
  end
end

--- Wraps the alembic-lsp client's workspace/applyEdit handler. The server sends edits
--- only to carry out alembic.mergeHeads (from :AlembicMergeHeads or from a code action
--- picked in vim.lsp.buf.code_action()), so each applied edit is saved and opened: the
--- server has already reserved the file name on disk with an empty file.
function M.wrap_apply_edit(base)
  return function(err, result, ctx, config)
    local handler = base or vim.lsp.handlers['workspace/applyEdit']
    local response = handler(err, result, ctx, config)
    if result and result.edit and type(response) == 'table' and response.applied then
      finish(result.edit)
    end
    return response
  end
end

local function execute(client, command)
  compat.request(client, 'workspace/executeCommand', {
    command = command.command,
    arguments = command.arguments,
  }, function(err, result)
    if err then
      notify('merge failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    elseif type(result) == 'table' and result.appliedBy == 'server' and result.path then
      -- Written on disk by the server itself: only open it.
      if M.options.open then
        open(result.path)
      end
      notify('created ' .. result.path)
    end
  end)
end

local function run(client, action)
  M.last_route = action.edit and 'edit' or 'command'
  if action.edit then
    local ok, err = pcall(vim.lsp.util.apply_workspace_edit, action.edit, client.offset_encoding)
    if not ok then
      notify('could not apply the merge: ' .. tostring(err), vim.log.levels.ERROR)
      return
    end
    finish(action.edit)
  elseif type(action.command) == 'table' then
    execute(client, action.command)
  elseif type(action.command) == 'string' then -- a bare Command
    execute(client, action)
  end
end

--- Merges the heads of the environment the current buffer belongs to.
function M.merge_heads()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = compat.clients(bufnr)[1]
  if not client then
    notify('not attached to this buffer: open a migration of the environment to merge',
      vim.log.levels.ERROR)
    return
  end
  local line = vim.api.nvim_win_get_cursor(0)[1] - 1
  -- Character 0 avoids any position-encoding question: the action is offered anywhere.
  local position = { line = line, character = 0 }
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = position, ['end'] = position },
    context = { diagnostics = {}, only = { M.kind } },
  }
  compat.request(client, 'textDocument/codeAction', params, function(err, actions)
    if err then
      notify('code action request failed: ' .. (err.message or vim.inspect(err)),
        vim.log.levels.ERROR)
      return
    end
    local chosen
    for _, action in ipairs(actions or {}) do
      if action.kind == M.kind or action.command == M.command then
        chosen = action
        break
      end
    end
    if not chosen then
      notify('nothing to merge here (the environment has a single head)', vim.log.levels.WARN)
      return
    end
    run(client, chosen)
  end, bufnr)
end

return M
