-- Started by capture.sh: Neovim with editors/nvim, the plugin's default capabilities, a
-- migration opened; the server command is record_initialize.py in front of the real
-- server. Quits once the client is initialized (or after 60 s, with status 1).
local out = os.getenv('CAPTURE_OUT')
local wrapper = os.getenv('CAPTURE_WRAPPER')
local binary = os.getenv('ALEMBIC_LSP_BINARY')
local file = os.getenv('CAPTURE_FILE')
vim.opt.runtimepath:prepend(os.getenv('ALEMBIC_SOURCE_DIR') .. '/editors/nvim')
vim.o.hidden = true
vim.cmd('filetype on') -- as tests/editors/nvim_test.lua: -u NONE leaves it off
require('alembic_lsp').setup({ cmd = { 'python3', wrapper, out, '--', binary, 'serve' } })
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local ok = vim.wait(60000, function()
  for _, c in pairs(vim.lsp.get_active_clients()) do
    if c.initialized ~= false and vim.fn.filereadable(out) == 1 then
      return true
    end
  end
  return false
end, 50)
if ok then
  vim.cmd('qa!')
else
  io.stderr:write('capture_nvim: no initialized client after 60 s\n')
  vim.cmd('cquit 1')
end
