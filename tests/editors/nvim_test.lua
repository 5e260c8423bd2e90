-- Drives the Neovim plugin (editors/nvim) against the real server on a private copy of
-- examples/tangled:
--
--   ALEMBIC_LSP_BINARY=build/server/alembic-lsp \
--     nvim --headless -u NONE -c "set rtp+=editors/nvim" -c "luafile tests/editors/nvim_test.lua"
--
-- Prints one line per check; exits 0 when all pass, 1 (:cquit) on the first failure.
-- Every wait is bounded; the temporary copy is removed either way.
local uv = vim.uv or vim.loop

local t = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/nvim_support.lua')
local source_dir, binary = t.source_dir, t.binary
local tmp -- the temporary directory holding the copy

local say, check, wait_for, read_file, edit, ends_with = t.say, t.check, t.wait_for, t.read_file, t.edit, t.ends_with

-- ---------------------------------------------------------------------------------
local alembic, compat -- required in main(), once the plugin is on the runtimepath

local root, versions

-- Every client (any name) attached to a buffer, or running at all when bufnr is nil.
local function all_clients(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  if bufnr then
    return vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
  end
  return vim.lsp.get_active_clients()
end

local function our_client(bufnr)
  return compat.clients(bufnr)[1]
end

-- This server's diagnostics on a buffer with the given code (another client's are
-- in other namespaces).
local function findings(bufnr, code)
  local client = our_client(bufnr) or compat.clients()[1]
  if not client then
    return {}
  end
  return t.diagnostics_with_code(bufnr, code, { namespace = vim.lsp.diagnostic.get_namespace(client.id) })
end

local function wait_finding(bufnr, code, file)
  wait_for(code .. ' on ' .. file, function()
    return #findings(bufnr, code) > 0
  end)
  return findings(bufnr, code)[1]
end

local function test_attach_and_diagnostics()
  -- duplicate-revision, README: b9d1f3a5c7e0_add_refund_status.py line 13.
  local dup_file = 'b9d1f3a5c7e0_add_refund_status.py'
  local dup = edit(versions .. '/' .. dup_file)
  check(vim.bo[dup].filetype == 'python', 'migration buffer has filetype python')
  wait_for('alembic-lsp to attach to ' .. dup_file, function()
    local c = our_client(dup)
    return c ~= nil and c.initialized ~= false
  end)
  local client = our_client(dup)
  check(client.config.root_dir == root, 'client root is the project root (alembic.ini): ' .. tostring(client.config.root_dir))

  local d = wait_finding(dup, 'duplicate-revision', dup_file)
  check(d.lnum == 12, 'duplicate-revision in ' .. dup_file .. ' on line 13 (got ' .. d.lnum + 1 .. ')')
  check(d.severity == vim.diagnostic.severity.ERROR, 'duplicate-revision is an error')
  check(d.source == 'alembic', "diagnostic source is 'alembic'")

  -- missing-revision, README: 5e8f0a2b4c6d_add_order_discounts.py line 14, suggestion a1b2c3d4e5f6.
  local miss_file = '5e8f0a2b4c6d_add_order_discounts.py'
  local miss = edit(versions .. '/' .. miss_file)
  check(our_client(miss) and our_client(miss).id == client.id,
    'second migration reuses the same client (one per root)')
  d = wait_finding(miss, 'missing-revision', miss_file)
  check(d.lnum == 13, 'missing-revision in ' .. miss_file .. ' on line 14 (got ' .. d.lnum + 1 .. ')')
  local line = vim.api.nvim_buf_get_lines(miss, 13, 14, false)[1]
  local quote = line:find("'a1b2c3d4e5f6_add_orders'", 1, true)
  check(quote ~= nil and d.col == quote - 1, 'missing-revision range starts at the string (col ' .. d.col .. ')')
  check(d.message:find('a1b2c3d4e5f6', 1, true) ~= nil, 'missing-revision message suggests a1b2c3d4e5f6: ' .. d.message)

  -- A file never opened still gets its findings (header-mismatch, line 4).
  local header_file = '6a8c0e2f4b1d_add_currency_to_accounts.py'
  local header = vim.fn.bufadd(versions .. '/' .. header_file)
  d = wait_finding(header, 'header-mismatch', header_file)
  check(d.lnum == 3, 'header-mismatch in unopened ' .. header_file .. ' on line 4 (got ' .. d.lnum + 1 .. ')')

  -- The audit service has its own alembic.ini: its own root and client.
  local cycle_file = '5b6c7d8e9f0a_add_actor_column.py'
  local audit_root = root .. '/services/audit'
  local cycle = edit(audit_root .. '/migrations/versions/' .. cycle_file)
  wait_for('a client for ' .. audit_root, function()
    return our_client(cycle) ~= nil
  end)
  check(our_client(cycle).config.root_dir == audit_root, 'audit migration gets a client rooted at services/audit')
  d = wait_finding(cycle, 'revision-cycle', cycle_file)
  check(d.lnum == 14, 'revision-cycle in ' .. cycle_file .. ' on line 15 (got ' .. d.lnum + 1 .. ')')
end

local function test_not_attached_to_application_code()
  local app = root .. '/app'
  vim.fn.mkdir(app, 'p')
  vim.fn.writefile({ 'import sqlalchemy as sa', '', 'metadata = sa.MetaData()' }, app .. '/models.py')
  local before = #compat.clients()
  local buf = edit(app .. '/models.py')
  -- Synchronise on the event loop, not on a clock: once a callback scheduled behind what
  -- the FileType/BufEnter autocommands scheduled has run, any client would have started.
  local flushed = false
  vim.schedule(function()
    vim.schedule(function()
      flushed = true
    end)
  end)
  check(vim.wait(10000, function()
    return flushed
  end), 'the event loop ran the callbacks scheduled on opening app/models.py')
  check(vim.bo[buf].filetype == 'python' and #compat.clients(buf) == 0 and #compat.clients() == before,
    'not attached to app/models.py (application code), no client started')
end

-- The nvim-lspconfig table and the 0.11 lsp/alembic_lsp.lua config decide the same way.
local function test_config_tables()
  local migration = versions .. '/9f4e2d1c0b8a_add_payments.py'
  local app_file = root .. '/app/models.py'
  local lspconfig = require('alembic_lsp.lspconfig').default_config
  check(lspconfig.root_dir(migration, vim.fn.bufadd(migration)) == root,
    'lspconfig root_dir gives the project root for a migration')
  check(lspconfig.root_dir(app_file, vim.fn.bufadd(app_file)) == nil,
    'lspconfig root_dir gives nil for application code')
  local files = vim.api.nvim_get_runtime_file('lsp/alembic_lsp.lua', false)
  check(#files == 1, 'lsp/alembic_lsp.lua is on the runtimepath')
  local native = dofile(files[1])
  local got = {}
  native.root_dir(vim.fn.bufadd(migration), function(dir)
    got.migration = dir
  end)
  native.root_dir(vim.fn.bufadd(app_file), function(dir)
    got.app = dir
  end)
  check(got.migration == root and got.app == nil and native.cmd[1] == 'alembic-lsp',
    'lsp/alembic_lsp.lua: on_dir(root) for a migration only')
end

-- Another Python server on the same buffers must stay attached. The real binary stands
-- in for it under another name, without file watching.
local function test_other_servers_left_alone()
  local a = edit(versions .. '/7d3e9f1a2b4c_add_invoice_due_date.py')
  local other = vim.lsp.start_client({
    name = 'other_python_server',
    cmd = { binary },
    root_dir = root,
    init_options = { watchFiles = false },
  })
  check(other ~= nil, 'started a second, unrelated client')
  vim.lsp.buf_attach_client(a, other)
  local b = edit(versions .. '/e6b1c8d2f7a3_add_customer_tax_id.py')
  wait_for('both clients on the first buffer', function()
    local names = {}
    for _, c in ipairs(all_clients(a)) do
      names[c.name] = true
    end
    return names.other_python_server and names.alembic_lsp
  end)
  check(our_client(b) ~= nil, 'alembic-lsp attached to the next migration')
  local still = vim.lsp.get_client_by_id(other)
  check(still ~= nil and not compat.is_stopped(still), 'the other client is still running and attached')
  vim.lsp.stop_client(other, true)
end

local function test_definition()
  -- 9f4e2d1c0b8a_add_payments.py line 14: down_revision = 'a1b2c3d4e5f6'
  local from_file = '9f4e2d1c0b8a_add_payments.py'
  local buf = edit(versions .. '/' .. from_file)
  wait_for('alembic-lsp on ' .. from_file, function()
    return our_client(buf) ~= nil and our_client(buf).initialized ~= false
  end)
  local line = vim.api.nvim_buf_get_lines(buf, 13, 14, false)[1]
  local col = line:find("'a1b2c3d4e5f6'", 1, true)
  check(col ~= nil, 'down_revision id found on line 14 of ' .. from_file)
  vim.api.nvim_win_set_cursor(0, { 14, col + 2 }) -- inside the id
  vim.lsp.buf.definition()
  local target = 'a1b2c3d4e5f6_add_orders.py'
  wait_for('go-to-definition to open ' .. target, function()
    return ends_with(vim.api.nvim_buf_get_name(0), '/' .. target)
  end)
  local cursor = vim.api.nvim_win_get_cursor(0)
  local target_line = vim.api.nvim_buf_get_lines(0, cursor[1] - 1, cursor[1], false)[1]
  check(cursor[1] == 13, 'definition of a1b2c3d4e5f6 is line 13 of ' .. target .. ' (got ' .. cursor[1] .. ')')
  check(target_line:match("^revision = 'a1b2c3d4e5f6'") ~= nil, 'the line there is the revision assignment: ' .. target_line)
end

local function test_code_lens(route, attach)
  -- 0007_add_invoices.py is a branch point: one lens, "2 children", on its revision line.
  local file = '0007_add_invoices.py'
  local buf = edit(versions .. '/' .. file)
  if attach then
    attach(buf)
  end
  wait_for('alembic-lsp on ' .. file, function()
    return our_client(buf) ~= nil and our_client(buf).initialized ~= false
  end)
  local lenses
  wait_for('the code lens of ' .. file, function()
    vim.lsp.codelens.refresh()
    lenses = vim.lsp.codelens.get(buf)
    return lenses and #lenses > 0 and lenses[1].command ~= nil
  end)
  check(#lenses == 1 and lenses[1].command.title == '2 children',
    'one lens "2 children" on ' .. file .. ' (got ' .. #lenses .. ': ' .. lenses[1].command.title .. ')')
  vim.api.nvim_win_set_cursor(0, { lenses[1].range.start.line + 1, 0 })
  vim.fn.setqflist({}, 'r', { title = '', items = {} })
  vim.lsp.codelens.run()
  wait_for('the children in the quickfix list', function()
    return #vim.fn.getqflist() == 2
  end)
  local names = {}
  for _, item in ipairs(vim.fn.getqflist()) do
    table.insert(names, vim.fn.fnamemodify(vim.api.nvim_buf_get_name(item.bufnr), ':t'))
  end
  table.sort(names)
  check(names[1] == '2b6d8f0a1c3e_add_invoice_number_sequence.py'
    and names[2] == 'f0e1d2c3b4a5_add_invoice_pdf_path.py',
    route .. ': the lens lists both children: ' .. table.concat(names, ', '))
  check(vim.fn.getqflist({ title = 1 }).title == 'alembic: 2 children', 'the quickfix list is titled')
  vim.cmd('cclose')
end

local function py_files(dir)
  local set = {}
  for _, name in ipairs(vim.fn.readdir(dir)) do
    if name:match('%.py$') then
      set[name] = true
    end
  end
  return set
end

-- The heads of the monolith, each id once (`alembic heads` lists 3a7c9e1b5d2f twice:
-- it is duplicated), as examples/README.md and `alembic-lsp check` tell them.
local EXPECTED_HEADS = {
  '0f2a4c6e8b1d', '2023-11-02-add-tags', '3a7c9e1b5d2f', '5e8f0a2b4c6d', '7d3e9f1a2b4c',
  'a7c9e1f3b5d0', 'b3d5f7a9c1e0', 'c2e4a6b8d0f1', 'c4d5e6f7a8b9', 'e6b1c8d2f7a3',
}

local function test_merge_heads(route)
  local buf = edit(versions .. '/8b0d2f4a6c1e_merge_currency_and_pdf_path.py')
  wait_for('alembic-lsp on the merge point', function()
    return our_client(buf) ~= nil
  end)
  local due_file = '7d3e9f1a2b4c_add_invoice_due_date.py'
  local due = vim.fn.bufadd(versions .. '/' .. due_file)
  wait_finding(due, 'multiple-heads', due_file)
  check(true, 'multiple-heads reported on head ' .. due_file .. ' before the merge')
  local before = py_files(versions)
  vim.cmd('AlembicMergeHeads')
  local created
  wait_for('the merge migration to be written', function()
    for name in pairs(py_files(versions)) do
      if not before[name] then
        local text = read_file(versions .. '/' .. name)
        if text and text:find('down_revision', 1, true) then
          created = name
          return true
        end
      end
    end
    return false
  end)
  local path = versions .. '/' .. created
  check(true, 'merge migration written to disk: ' .. created)
  local merge = require('alembic_lsp.merge')
  check(merge.last_route == route, 'the merge went through the ' .. route .. ' (got ' .. tostring(merge.last_route) .. ')')
  local text = read_file(path)
  local down = text:match('\ndown_revision[^\n]*=%s*(%b())')
  check(down ~= nil, 'down_revision is a tuple: ' .. tostring(down))
  for _, head in ipairs(EXPECTED_HEADS) do
    check(down:find("'" .. head .. "'", 1, true) ~= nil, 'down_revision lists head ' .. head)
  end
  local count = select(2, down:gsub("'[^']+'", ''))
  check(count == #EXPECTED_HEADS, 'down_revision lists exactly ' .. #EXPECTED_HEADS .. ' heads (got ' .. count .. ')')
  local revision = text:match("\nrevision[^\n]*=%s*'([^']+)'")
  check(revision ~= nil and created:sub(1, #revision) == revision, 'file name starts with the new revision id ' .. tostring(revision))
  wait_for('the new migration to be shown', function()
    return ends_with(vim.api.nvim_buf_get_name(0), '/' .. created)
  end)
  check(not vim.bo.modified, 'the new migration is open in the window and saved')
  wait_for('multiple-heads to go away from ' .. due_file .. ' after the merge', function()
    return #findings(due, 'multiple-heads') == 0
  end)
  check(true, 'after the merge, multiple-heads is gone from ' .. due_file)
end

-- ---------------------------------------------------------------------------------
local function stop_all()
  for _, c in ipairs(all_clients()) do
    vim.lsp.stop_client(c.id)
  end
  vim.wait(5000, function()
    return #all_clients() == 0
  end, 50)
  for _, c in ipairs(all_clients()) do
    vim.lsp.stop_client(c.id, true)
  end
end

-- A fresh copy of examples/tangled under the temporary directory.
local function copy_example(subdir)
  local dest = tmp .. '/' .. subdir
  vim.fn.mkdir(dest, 'p')
  root = t.copy_example('tangled', dest)
  versions = root .. '/migrations/versions'
end

-- The client command alembic.showRevisions through the two other ways of starting the
-- server, with the configurations a user gets: lsp/alembic_lsp.lua and
-- require('alembic_lsp.lspconfig'). Neovim 0.11+ runs the first through vim.lsp.enable
-- itself; before 0.11 (no vim.lsp.enable) the test does what enable does: root_dir's
-- on_dir, then vim.lsp.start (0.8+) / start_client + buf_attach_client (0.7).
-- nvim-lspconfig is no Debian or npm package, so its route is a stand-in following its
-- configs.lua: default_config merged with the user's table, the definition's
-- on_new_config(new_config, root_dir), then the client started with new_config.
local function start_with(config, bufnr)
  config.name = alembic.name
  if vim.lsp.start then
    local id
    vim.api.nvim_buf_call(bufnr, function()
      id = vim.lsp.start(config, { bufnr = bufnr })
    end)
    return id
  end
  local id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

local function fresh_route(name)
  stop_all()
  vim.cmd('silent! %bwipeout!')
  vim.api.nvim_create_augroup('alembic_lsp', { clear = true }) -- setup()'s FileType autocommand
  copy_example(name)
end

local function test_lens_through_other_routes()
  say('# the code lens command through lsp/alembic_lsp.lua')
  fresh_route('native')
  local native_file = vim.api.nvim_get_runtime_file('lsp/alembic_lsp.lua', false)[1]
  if vim.lsp.enable and vim.lsp.config then
    vim.lsp.config('alembic_lsp', { cmd = { binary } })
    vim.lsp.enable('alembic_lsp')
    test_code_lens('lsp/alembic_lsp.lua via vim.lsp.enable')
  else
    test_code_lens('lsp/alembic_lsp.lua (vim.lsp.enable emulated before 0.11)', function(buf)
      local config = dofile(native_file)
      check(config.commands and config.commands['alembic.showRevisions'] ~= nil,
        'lsp/alembic_lsp.lua has the client command alembic.showRevisions')
      config.cmd = { binary }
      config.root_dir(buf, function(dir)
        config.root_dir = dir
      end)
      check(config.root_dir == root, 'lsp/alembic_lsp.lua: on_dir(project root) for the migration')
      start_with(config, buf)
    end)
  end

  say('# the code lens command through require("alembic_lsp.lspconfig") (stand-in for lspconfig)')
  fresh_route('lspconfig')
  local saved = vim.lsp.commands['alembic.showRevisions']
  rawset(vim.lsp.commands, 'alembic.showRevisions', nil) -- as in a session that never ran setup()
  package.loaded['alembic_lsp.lspconfig'] = nil
  local def = require('alembic_lsp.lspconfig')
  test_code_lens('lspconfig', function(buf)
    local config = vim.tbl_deep_extend('keep', { cmd = { binary } }, def.default_config)
    local fname = vim.api.nvim_buf_get_name(buf)
    local dir = config.root_dir(fname, buf)
    check(dir == root, 'lspconfig root_dir: the project root for the migration')
    local new_config = vim.tbl_deep_extend('keep', vim.empty_dict(), config)
    if def.on_new_config then -- lspconfig calls it when the definition has one
      def.on_new_config(new_config, dir)
    end
    new_config.root_dir = dir
    local id = start_with(new_config, buf)
    -- lspconfig before mid-2024 makes a user command of every entry of the client's
    -- commands (an error for 'alembic.showRevisions'): the client's table stays empty.
    local client = vim.lsp.get_client_by_id(id)
    check(client and vim.tbl_isempty(client.config.commands or {}),
      'lspconfig route: nothing in the client config\'s commands for lspconfig to turn into user commands')
  end)
  rawset(vim.lsp.commands, 'alembic.showRevisions', saved)
end

local function main()
  tmp = t.start('alembic-lsp-nvim')
  alembic = require('alembic_lsp')
  compat = require('alembic_lsp.compat')

  say('# Neovim with its own client capabilities')
  copy_example('plain')
  alembic.setup({ cmd = { binary } })
  check(vim.fn.exists(':AlembicMergeHeads') == 2, ':AlembicMergeHeads is defined')
  test_attach_and_diagnostics()
  test_not_attached_to_application_code()
  test_config_tables()
  test_other_servers_left_alone()
  test_definition()
  test_code_lens('setup()')
  -- Neovim 0.7 does not announce documentChanges: the server answers with its command.
  local announced = vim.lsp.protocol.make_client_capabilities().workspace.workspaceEdit
  test_merge_heads(announced.documentChanges and 'edit' or 'command')

  -- A client announcing documentChanges gets the action with its WorkspaceEdit (create
  -- + text) instead: the other branch of :AlembicMergeHeads.
  say('# documentChanges announced: the merge comes as a WorkspaceEdit in the action')
  stop_all()
  vim.cmd('silent! %bwipeout!')
  copy_example('edit')
  alembic.setup({
    cmd = { binary },
    capabilities = { workspace = { workspaceEdit = { documentChanges = true } } },
  })
  test_merge_heads('edit')

  test_lens_through_other_routes()
end

t.run('nvim editor test', main, function()
  pcall(stop_all)
  t.stop_and_remove(nil, tmp)
end)
