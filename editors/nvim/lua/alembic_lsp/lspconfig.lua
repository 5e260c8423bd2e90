-- alembic-lsp as an nvim-lspconfig server definition:
--
--   local configs = require('lspconfig.configs')
--   if not configs.alembic_lsp then
--     configs.alembic_lsp = require('alembic_lsp.lspconfig')
--   end
--   require('lspconfig').alembic_lsp.setup({})
--
-- lspconfig starts a client per root_dir and attaches it to every buffer of the listed
-- filetypes for which root_dir returns a directory; root_dir returns nil for Python
-- files that are not migrations, so application code keeps only its Python server.
local detect = require('alembic_lsp.detect')
local merge = require('alembic_lsp.merge')

return {
  default_config = {
    cmd = { 'alembic-lsp' },
    filetypes = { 'python' },
    root_dir = function(fname, bufnr)
      if not fname or fname == '' or not detect.is_migration(bufnr, fname) then
        return nil
      end
      return detect.root_for(fname)
    end,
    single_file_support = false,
    handlers = { ['workspace/applyEdit'] = merge.wrap_apply_edit() },
  },
  docs = {
    description = [[
alembic-lsp: diagnostics, go-to-definition, references, hover and merge-heads for
Alembic (SQLAlchemy) migration directories. Attaches to Python files in version
locations only, alongside your Python language server.
]],
  },
}
