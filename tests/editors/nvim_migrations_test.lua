-- :AlembicMigrations in real Neovim against the real server, on private copies of
-- examples/clean and examples/tangled: the quickfix list holds each environment, its heads
-- and its history from the base to the heads with merge and branch points marked and the
-- problems of each revision's file; an entry opens the migration at `revision = ...`;
-- words after the command filter by id or message. (The `current` marker after
-- :AlembicCurrent is checked with real Alembic in nvim_alembic_test.lua.)
local t = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/nvim_support.lua')
local binary = t.binary
local say, check, wait_for = t.say, t.check, t.wait_for

local tmp
local compat, migrations

local function open_attached(path)
  return t.open_attached(path, compat.clients)
end

-- Runs :AlembicMigrations ARGS and returns the quickfix list's entries once it is filled
-- (asked again while the server is still indexing).
local function list(args)
  local qf
  wait_for(':AlembicMigrations ' .. args, function()
    local before = migrations.last
    vim.cmd('AlembicMigrations ' .. args)
    if not vim.wait(10000, function()
      return migrations.last ~= before
    end, 20) then
      return false
    end
    qf = vim.fn.getqflist({ title = 1, items = 1 })
    return #qf.items > 1
  end)
  return qf
end

local function texts(items)
  local out = {}
  for _, item in ipairs(items) do
    table.insert(out, item.text)
  end
  return out
end

local function find(items, pattern)
  for i, item in ipairs(items) do
    if item.text:find(pattern) then
      return item, i
    end
  end
  return nil
end

local function count(items, pattern)
  local n = 0
  for _, item in ipairs(items) do
    if item.text:find(pattern) then
      n = n + 1
    end
  end
  return n
end

local function test_clean(root)
  say('# examples/clean')
  local versions = root .. '/migrations/versions'
  open_attached(versions .. '/8c41d2e9b7a0_create_products_table.py')
  local qf = list('')
  check(qf.title == 'alembic migrations', 'the quickfix list is titled: ' .. qf.title)
  local items = qf.items
  check(items[1].text == 'migrations: 1 head, 7 revisions', 'the environment first: ' .. items[1].text)
  check(items[2].text:find('^heads  migrations: c19f6b2a8e3d %[head%] — create shipping addresses') ~= nil,
    'then its head: ' .. items[2].text)
  check(count(items, '^history ') == 7, 'then the 7 revisions of its history')
  local _, base = find(items, '^history migrations: 3f2b9c1d7a4e %[base%]')
  local _, branch = find(items, '^history migrations: b5e07a3c9f12 %[branch point%]')
  local _, merge = find(items, '^history migrations: 47a0e5d3b9c6 %[merge point%]')
  local _, head = find(items, '^history migrations: c19f6b2a8e3d %[head%]')
  check(base and branch and merge and head and base < branch and branch < merge and merge < head,
    'history from the base to the head, branch and merge points marked')
  check(count(items, ' | ') == 0, 'no problem on any revision')
  local tmpl = vim.fn.readfile(versions .. '/c19f6b2a8e3d_create_shipping_addresses.py')
  check(tmpl[items[2].lnum]:match("^revision = 'c19f6b2a8e3d'") ~= nil, 'the head entry points at its revision line')

  -- Choosing an entry opens the migration there.
  vim.cmd('cc 2')
  check(vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ':t') == 'c19f6b2a8e3d_create_shipping_addresses.py',
    ':cc on the head opens its file')
  check(vim.api.nvim_win_get_cursor(0)[1] == items[2].lnum, 'on its revision line ' .. items[2].lnum)
end

local function test_tangled(root)
  say('# examples/tangled')
  local versions = root .. '/migrations/versions'
  vim.cmd('silent! cclose')
  open_attached(versions .. '/0007_add_invoices.py')
  local items = list('').items
  check(find(items, '^migrations: 11 heads, %d+ revisions$') ~= nil, 'the monolith: 11 heads; got ' .. items[1].text)
  check(find(items, '^services/audit/migrations: 1 head, 4 revisions$') ~= nil, 'the audit service: 1 head')
  check(count(items, '^heads  migrations: ') == 11, '11 head entries for the monolith')
  local merge = find(items, '^history migrations: 8b0d2f4a6c1e %[merge point, branch point%]')
  check(merge ~= nil, 'the unparenthesised tuple is a merge point and a branch point')
  local missing = find(items, '^history migrations: 5e8f0a2b4c6d')
  check(missing and missing.type == 'E' and missing.text:find('| error missing-revision: ', 1, true) ~= nil,
    'the wrong parent is an error on its revision: ' .. (missing and missing.text or '(none)'))
  local header = find(items, '^history migrations: 6a8c0e2f4b1d')
  check(header and header.type == 'W' and header.text:find('warning header-mismatch', 1, true) ~= nil,
    'the stale header is a warning on its revision: ' .. (header and header.text or '(none)'))
  check(count(items, '^history migrations: 3a7c9e1b5d2f %[[^%]]*duplicated id') == 2,
    'the duplicated id: two entries, both marked')
  check(find(items, '^missing migrations: a1b2c3d4e5f6_add_orders, named by 5e8f0a2b4c6d') ~= nil,
    'the missing parent is listed')
  local other = find(items, '^other   migrations: error not%-a%-migration')
  check(other and vim.fn.fnamemodify(vim.fn.bufname(other.bufnr), ':t') == 'migration_utils.py',
    'the helper module\'s problem is listed with its file')
  check(count(items, '^history services/audit/migrations: .* | error revision%-cycle') == 3,
    'the audit cycle: three revisions with revision-cycle')

  -- The filter: every word in the id or the message.
  local filtered = list('refund').items
  check(vim.fn.getqflist({ title = 1 }).title == 'alembic migrations: refund', 'the title names the filter')
  local ids = {}
  for _, item in ipairs(filtered) do
    local id = item.text:match('^history migrations: (%S+)')
    if id then
      table.insert(ids, id)
    end
  end
  table.sort(ids)
  check(vim.deep_equal(ids, { '3a7c9e1b5d2f', '3a7c9e1b5d2f', 'd8a0c2e4f6b1' }),
    'filter "refund": the three refund migrations (' .. table.concat(ids, ' ') .. ')')
  local narrow = list('add refund reason').items
  local shown = count(narrow, '^history ')
  check(shown == 1, 'filter "add refund reason": one revision (got ' .. shown .. ')')
  check(#texts(narrow) < #texts(list('').items), 'the filter shortens the list')
end

local function main()
  tmp = t.start('alembic-lsp-nvim')
  compat = require('alembic_lsp.compat')
  migrations = require('alembic_lsp.migrations')
  require('alembic_lsp').setup({ cmd = { binary } })
  check(vim.fn.exists(':AlembicMigrations') == 2, ':AlembicMigrations is defined')
  test_clean(t.copy_example('clean', tmp))
  test_tangled(t.copy_example('tangled', tmp))
end

t.run('nvim migrations test', main, function()
  t.stop_and_remove(compat and compat.clients(), tmp)
end)
