-- Neovim 0.11+: `vim.lsp.enable('alembic_lsp')` reads this file from the runtimepath.
-- Override anything with vim.lsp.config('alembic_lsp', { cmd = { '/path/to/alembic-lsp' } }).
--
-- root_dir calls on_dir only for migrations, so Python application code never starts
-- this server; pyright or any other Python server stays attached as usual. The
-- definition (command, root rule, handlers, the code lens command alembic.showRevisions)
-- is the one setup() and the nvim-lspconfig table use: lua/alembic_lsp/definition.lua.
return require('alembic_lsp.definition').native()
