-- The nvim-lspconfig entry kept for upstream (editors/upstream/nvim-lspconfig/lsp/alembic_lsp.lua,
-- self-contained: lspconfig cannot require this plugin), in real Neovim:
--   * any Neovim: the file parses and returns the fields lspconfig's 0.11 configs have;
--   * Neovim 0.10+ (vim.fs.root): its root_dir decides like the plugin's, file by file,
--     on a copy of examples/tangled;
--   * Neovim 0.11+ (vim.lsp.config / vim.lsp.enable, client:request): the real server
--     started by vim.lsp.enable, and the code lens command run through it.
-- What the Neovim under test cannot run is said on a '#' line, never passed silently.
local uv = vim.uv or vim.loop

local t = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/nvim_support.lua')
local source_dir, binary = t.source_dir, t.binary
local say, check, wait_for, edit = t.say, t.check, t.wait_for, t.edit

local UPSTREAM = '/editors/upstream/nvim-lspconfig/lsp/alembic_lsp.lua'
local tmp

local function fields(config)
  local keys = vim.tbl_keys(config)
  table.sort(keys)
  return table.concat(keys, ',')
end

local function upstream_root(config, bufnr)
  local got
  config.root_dir(bufnr, function(dir)
    got = dir
  end)
  return got
end

-- Every .py file of the copy: the upstream root_dir and the plugin's definition agree.
local function test_roots(config, root)
  local definition = require('alembic_lsp.definition')
  local files = vim.fn.globpath(root, '**/*.py', false, true)
  local migrations = 0
  for _, file in ipairs(files) do
    local buf = edit(file)
    local up, plugin = upstream_root(config, buf), definition.root_for(buf)
    if up ~= plugin then
      t.fail(string.format('root_dir for %s: upstream %s, plugin %s', file, tostring(up), tostring(plugin)))
    end
    if up then
      migrations = migrations + 1
    end
  end
  check(migrations > 0 and migrations < #files,
    'upstream root_dir and the plugin agree on all ' .. #files .. ' files (' .. migrations .. ' migrations)')
  local app = root .. '/app/models.py'
  vim.fn.mkdir(root .. '/app', 'p')
  vim.fn.writefile({ 'import sqlalchemy as sa' }, app)
  check(upstream_root(config, edit(app)) == nil, 'no root (no server) for app/models.py')
  check(upstream_root(config, edit(root .. '/migrations/env.py')) == nil, 'no root for migrations/env.py')
  check(upstream_root(config, edit(root .. '/migrations/versions/0007_add_invoices.py')) == root,
    'the project root for a migration')
end

local function test_enable(root)
  vim.lsp.config('alembic_lsp', { cmd = { binary } })
  vim.lsp.enable('alembic_lsp')
  local buf = edit(root .. '/migrations/versions/0007_add_invoices.py')
  wait_for('vim.lsp.enable to start alembic-lsp', function()
    local c = vim.lsp.get_clients({ bufnr = buf, name = 'alembic_lsp' })[1]
    return c ~= nil and c.initialized
  end)
  local lenses
  wait_for('the code lens', function()
    vim.lsp.codelens.refresh({ bufnr = buf })
    lenses = vim.lsp.codelens.get(buf)
    return lenses and #lenses > 0 and lenses[1].command ~= nil
  end)
  vim.api.nvim_win_set_cursor(0, { lenses[1].range.start.line + 1, 0 })
  vim.lsp.codelens.run()
  wait_for('the children in the quickfix list', function()
    return #vim.fn.getqflist() == 2
  end)
  check(vim.fn.getqflist({ title = 1 }).title == 'alembic: 2 children',
    'vim.lsp.enable: the lens command alembic.showRevisions lists the 2 children')
end

local function main()
  say('# ' .. vim.fn.execute('version'):match('NVIM v[^\n]*'))
  vim.opt.rtp:prepend(source_dir .. '/editors/nvim')
  local ok, config = pcall(dofile, source_dir .. UPSTREAM)
  check(ok and type(config) == 'table', 'the upstream lsp/alembic_lsp.lua parses and returns a table')
  check(fields(config) == 'cmd,commands,filetypes,root_dir', 'its fields: ' .. fields(config))
  check(vim.deep_equal(config.cmd, { 'alembic-lsp' }) and vim.deep_equal(config.filetypes, { 'python' }),
    "cmd { 'alembic-lsp' }, filetypes { 'python' }")
  check(type(config.root_dir) == 'function' and type(config.commands['alembic.showRevisions']) == 'function',
    'root_dir(bufnr, on_dir) and the client command alembic.showRevisions are functions')
  if not vim.fs or not vim.fs.root then
    say('# Neovim before 0.10 has no vim.fs.root: the file is for 0.11 (lspconfig lsp/), root_dir not run here')
    return
  end
  t.check_binary()
  tmp = uv.fs_mkdtemp((os.getenv('TMPDIR') or '/tmp') .. '/alembic-lsp-upstream-XXXXXX')
  local root = t.copy_example('tangled', tmp)
  vim.o.hidden = true
  vim.cmd('filetype on')
  test_roots(config, root)
  if not vim.lsp.enable then
    say('# Neovim 0.10 has no vim.lsp.config / vim.lsp.enable (0.11 API, as is client:request in the lens '
      .. 'command): the server through this file runs from 0.11')
    return
  end
  test_enable(root)
end

t.run('nvim upstream config test', main, function()
  t.stop_and_remove(vim.lsp.get_clients and vim.lsp.get_clients(), tmp)
end)
