-- alembic-lsp for Neovim 0.7 and later.
--
--   require('alembic_lsp').setup({ cmd = { 'alembic-lsp' } })
--
-- starts one alembic-lsp client per project root (the nearest alembic.ini or
-- pyproject.toml above the buffer) and attaches it to Python buffers that look like
-- migrations, next to whatever Python server is already attached (pyright, pylsp, ...):
-- no other client is touched. Neovim 0.8+ goes through vim.lsp.start(), which reuses a
-- client by name and root; 0.7 keeps its own root -> client table and uses
-- vim.lsp.start_client() + vim.lsp.buf_attach_client().
--
-- Neovim 0.11+ can skip setup(): `vim.lsp.enable('alembic_lsp')` finds
-- lsp/alembic_lsp.lua in this plugin. nvim-lspconfig users can register
-- require('alembic_lsp.lspconfig'). See editors/nvim/README.md.
local compat = require('alembic_lsp.compat')
local definition = require('alembic_lsp.definition')
local detect = require('alembic_lsp.detect')
local merge = require('alembic_lsp.merge')
local restart = require('alembic_lsp.restart')
local run = require('alembic_lsp.run')

local M = {}

M.name = definition.name

local defaults = {
  -- The server executable and its arguments (no arguments: LSP over stdio).
  cmd = definition.cmd,
  cmd_env = nil,
  filetypes = definition.filetypes,
  root_markers = definition.root_markers,
  -- function(path) -> root directory; default: nearest root marker upwards.
  root_dir = nil,
  -- function(bufnr, path) -> boolean; default: detect.is_migration.
  should_attach = nil,
  -- Start automatically for matching buffers (FileType autocommand).
  autostart = true,
  -- Sent as initializationOptions: { watchFiles = false } turns the server's own
  -- file watching (inotify) off.
  init_options = nil,
  settings = nil,
  capabilities = nil,
  handlers = nil,
  on_attach = nil,
  on_exit = nil,
  flags = nil,
  -- :AlembicMergeHeads: write the new migration to disk, then open it.
  merge = { save = true, open = true },
  -- :AlembicUpgrade, :AlembicDowngrade, :AlembicStamp, :AlembicCurrent run the project's
  -- own Alembic: a string ('uv run alembic', 'poetry run alembic') or a list of words.
  alembic_command = 'alembic',
  -- Start the server again when it dies (not after a clean stop); gives up after
  -- `restart.limit` restarts within `restart.window_ms`.
  restart = { enabled = true, limit = 3, window_ms = 60000 },
}

M.options = vim.deepcopy(defaults)

local clients_by_root = {} -- Neovim 0.7 only: root -> client id

local function notify(message, level)
  vim.notify('alembic-lsp: ' .. message, level or vim.log.levels.INFO)
end

--- The client configuration for one root, as vim.lsp.start() / start_client() take it.
function M.client_config(root, options)
  options = options or M.options
  return {
    name = M.name,
    cmd = options.cmd,
    cmd_env = options.cmd_env,
    root_dir = root,
    capabilities = vim.tbl_deep_extend('force', vim.lsp.protocol.make_client_capabilities(),
      options.capabilities or {}),
    init_options = options.init_options,
    settings = options.settings,
    handlers = definition.handlers(options.handlers),
    commands = definition.commands(), -- the code lens command, see revisions.lua
    on_attach = options.on_attach,
    on_exit = options.restart.enabled and restart.wrap_on_exit(options.on_exit, root, function(bufnr)
      require('alembic_lsp').attach(bufnr)
    end) or options.on_exit,
    flags = options.flags,
  }
end

--- The root directory alembic-lsp gets for a migration file.
function M.root_dir(path)
  if M.options.root_dir then
    return M.options.root_dir(path)
  end
  return detect.root_for(path, M.options.root_markers)
end

--- Whether a buffer should get alembic-lsp.
function M.should_attach(bufnr, path)
  if M.options.should_attach then
    return M.options.should_attach(bufnr, path)
  end
  return detect.is_migration(bufnr, path)
end

local warned_cmd = false

local function executable(cmd)
  if vim.fn.executable(cmd[1]) == 1 then
    return true
  end
  if not warned_cmd then
    warned_cmd = true
    notify(string.format("'%s' is not executable: install alembic-lsp or pass setup({ cmd = {...} })",
      cmd[1]), vim.log.levels.ERROR)
  end
  return false
end

local function start_07(bufnr, config)
  local root = config.root_dir
  local id = clients_by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or compat.is_stopped(client) then
    local on_exit = config.on_exit
    config.on_exit = function(code, signal, client_id)
      if clients_by_root[root] == client_id then
        clients_by_root[root] = nil
      end
      if on_exit then
        on_exit(code, signal, client_id)
      end
    end
    id = vim.lsp.start_client(config)
    if not id then
      return nil
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Starts (or reuses) the client for a buffer's root and attaches it, if the buffer is
--- a migration. Returns the client id, or nil.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  if not vim.tbl_contains(M.options.filetypes, vim.bo[bufnr].filetype) then
    return nil
  end
  local path = detect.buffer_path(bufnr)
  if not path or not M.should_attach(bufnr, path) then
    return nil
  end
  if not executable(M.options.cmd) then
    return nil
  end
  local config = M.client_config(M.root_dir(path))
  if vim.lsp.start then -- 0.8+: reuses a client with the same name and root_dir
    local id
    vim.api.nvim_buf_call(bufnr, function()
      id = vim.lsp.start(config, { bufnr = bufnr })
    end)
    return id
  end
  return start_07(bufnr, config)
end

--- Runs the merge-heads code action for the current buffer's environment.
function M.merge_heads()
  merge.merge_heads()
end

--- Runs the project's Alembic on the revision here: 'upgrade', 'downgrade' (asks
--- first), 'stamp' or 'current'. `revision`: an id instead of the one under the cursor.
function M.run_alembic(action, revision)
  run.run(action, revision)
end

--- Defines :AlembicMergeHeads and the Alembic commands (also done by plugin/alembic_lsp.lua).
function M.create_commands()
  vim.api.nvim_create_user_command('AlembicMergeHeads', function()
    require('alembic_lsp').merge_heads()
  end, { desc = 'alembic-lsp: merge the heads of this environment into a new migration' })
  run.create_commands()
  require('alembic_lsp.revision').create_commands()
  require('alembic_lsp.migrations').create_commands()
end

function M.setup(options)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(defaults), options or {})
  for _, key in ipairs({ 'cmd', 'filetypes', 'root_markers', 'alembic_command' }) do
    if options and options[key] then
      M.options[key] = options[key] -- lists: replaced, never merged index by index
    end
  end
  merge.options = M.options.merge
  run.set_command(M.options.alembic_command)
  restart.limit = M.options.restart.limit
  restart.window_ms = M.options.restart.window_ms
  M.create_commands()
  local group = vim.api.nvim_create_augroup('alembic_lsp', { clear = true })
  if not M.options.autostart then
    return
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.options.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
    desc = 'alembic-lsp: attach to migrations',
  })
  -- Buffers opened before setup() ran.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      M.attach(bufnr)
    end
  end
end

return M
