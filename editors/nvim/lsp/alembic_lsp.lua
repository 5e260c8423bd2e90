-- Neovim 0.11+: `vim.lsp.enable('alembic_lsp')` reads this file from the runtimepath.
-- Override anything with vim.lsp.config('alembic_lsp', { cmd = { '/path/to/alembic-lsp' } }).
--
-- root_dir calls on_dir only for migrations, so Python application code never starts
-- this server; pyright or any other Python server stays attached as usual.
local detect = require('alembic_lsp.detect')
local merge = require('alembic_lsp.merge')
local revisions = require('alembic_lsp.revisions')

return {
  cmd = { 'alembic-lsp' },
  filetypes = { 'python' },
  root_dir = function(bufnr, on_dir)
    local path = detect.buffer_path(bufnr)
    if path and detect.is_migration(bufnr, path) then
      on_dir(detect.root_for(path))
    end
  end,
  handlers = { ['workspace/applyEdit'] = merge.wrap_apply_edit() },
  commands = revisions.client_commands(),
}
