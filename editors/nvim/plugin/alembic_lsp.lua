-- Loaded by Neovim at startup when the plugin is on the runtimepath. It only defines the
-- commands (:AlembicMergeHeads, :AlembicUpgrade, ...); starting the server is up to
-- require('alembic_lsp').setup() (0.7-0.10), or vim.lsp.enable('alembic_lsp') (0.11+), or
-- nvim-lspconfig.
if vim.g.loaded_alembic_lsp then
  return
end
vim.g.loaded_alembic_lsp = true

vim.api.nvim_create_user_command('AlembicMergeHeads', function()
  require('alembic_lsp').merge_heads()
end, { desc = 'alembic-lsp: merge the heads of this environment into a new migration' })
require('alembic_lsp.run').create_commands()
require('alembic_lsp.revision').create_commands()
require('alembic_lsp.migrations').create_commands()
