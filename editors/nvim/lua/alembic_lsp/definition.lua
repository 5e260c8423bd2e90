-- The one definition of the alembic-lsp client that every way of starting it shares:
-- require('alembic_lsp').setup() (init.lua), Neovim 0.11's vim.lsp.enable()
-- (lsp/alembic_lsp.lua) and nvim-lspconfig (lspconfig.lua). Each takes its name, command,
-- filetypes, root rule, handlers and client commands from here, in the shape it needs.
local detect = require('alembic_lsp.detect')
local merge = require('alembic_lsp.merge')
local revisions = require('alembic_lsp.revisions')

local M = {}

M.name = require('alembic_lsp.compat').name -- 'alembic_lsp'
M.cmd = { 'alembic-lsp' }
M.filetypes = { 'python' }
M.root_markers = detect.default_root_markers

--- The project root for a migration buffer, nil for any other buffer (application code,
--- a buffer without a file): only migrations start the server.
function M.root_for(bufnr, path, markers)
  path = path or detect.buffer_path(bufnr)
  if not path or path == '' or not detect.is_migration(bufnr, path) then
    return nil
  end
  return detect.root_for(path, markers)
end

--- The client's handlers: `workspace/applyEdit` saves and opens a merge migration
--- (merge.lua); `base` (the user's handlers) is kept, its applyEdit wrapped.
function M.handlers(base)
  local own = vim.tbl_extend('force', {}, base or {})
  own['workspace/applyEdit'] = merge.wrap_apply_edit(own['workspace/applyEdit'])
  return own
end

--- The client commands the server's code lenses use (`alembic.showRevisions`), as a
--- client configuration's `commands` table.
function M.commands()
  return revisions.client_commands()
end

--- The same commands in Neovim's global table `vim.lsp.commands`, which Neovim consults
--- when a client's own `commands` has no entry (0.7 and later). For nvim-lspconfig, whose
--- releases before mid-2024 turn every entry of a client's `commands` into a user command
--- (`:alembic.showRevisions` is not a valid name and the attach fails).
function M.register_global_commands()
  for name, fn in pairs(M.commands()) do
    if vim.lsp.commands[name] == nil then
      vim.lsp.commands[name] = fn
    end
  end
end

--- The Neovim 0.11 configuration (`vim.lsp.config` / `vim.lsp.enable`).
function M.native()
  return {
    cmd = vim.deepcopy(M.cmd),
    filetypes = vim.deepcopy(M.filetypes),
    root_dir = function(bufnr, on_dir)
      local root = M.root_for(bufnr)
      if root then
        on_dir(root)
      end
    end,
    handlers = M.handlers(),
    commands = M.commands(),
  }
end

--- The nvim-lspconfig server definition (`require('lspconfig.configs').alembic_lsp = ...`).
function M.lspconfig()
  return {
    default_config = {
      cmd = vim.deepcopy(M.cmd),
      filetypes = vim.deepcopy(M.filetypes),
      root_dir = function(fname, bufnr)
        return M.root_for(bufnr, fname)
      end,
      single_file_support = false,
      handlers = M.handlers(),
    },
    -- Called by lspconfig for each new client; the commands go to vim.lsp.commands, not
    -- to the client's `commands` (see register_global_commands).
    on_new_config = function()
      M.register_global_commands()
    end,
    docs = {
      description = [[
alembic-lsp: diagnostics, go-to-definition, references, hover, code lenses and
merge-heads for Alembic (SQLAlchemy) migration directories. Attaches to Python files in
version locations only, alongside your Python language server.
]],
    },
  }
end

return M
