-- The Neovim plugin's Alembic commands and its recovery from a dead server, in real
-- Neovim against the real server and Debian's real `alembic` on SQLite:
--   :AlembicUpgrade / :AlembicDowngrade (after the confirmation) / :AlembicStamp /
--   :AlembicCurrent in a terminal buffer, each checked in the database's alembic_version;
--   `-n reports` for the second section of a two-section alembic.ini; then kill -9 of the
--   server: the plugin starts another, diagnostics come back, none twice.
-- The project is made by tests/editors/alembic-project.sh (`alembic init`, `alembic
-- revision`). The confirmation is answered through vim.ui.select, the hook UI plugins
-- replace: headless Neovim has no UI to press a key in (a stand-in for the keypress only).
local uv = vim.uv or vim.loop

local t = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/nvim_support.lua')
local source_dir, binary = t.source_dir, t.binary
local check, wait_for = t.check, t.wait_for

local tmp, project, revs
local alembic, compat, run

local function db(name)
  local out = vim.fn.system({ 'python3', source_dir .. '/tests/editors/alembic_version.py', project .. '/' .. name })
  return vim.trim(out)
end

local function client_of(bufnr)
  return compat.clients(bufnr)[1]
end

local function open_attached(path)
  return t.open_attached(path, compat.clients)
end

-- Runs an Ex command that starts Alembic and waits until it has exited.
local function alembic_run(command)
  local before = run.last
  vim.cmd(command)
  wait_for(command .. ' to run Alembic', function()
    return run.last ~= before and run.last.exit_code ~= nil
  end)
  local last = run.last
  check(last.exit_code == 0, command .. ': `' .. table.concat(last.argv, ' ') .. '` exited 0 in '
    .. last.cwd .. ' (got ' .. tostring(last.exit_code) .. ')')
  return last
end

local function terminal_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
end

local function test_commands()
  for _, name in ipairs({ 'AlembicUpgrade', 'AlembicDowngrade', 'AlembicStamp', 'AlembicCurrent' }) do
    check(vim.fn.exists(':' .. name) == 2, ':' .. name .. ' is defined')
  end
  local first, second = revs.first, revs.second
  open_attached(first.file)
  local last = alembic_run('AlembicUpgrade')
  check(last.cwd == project, 'Alembic runs in the directory of alembic.ini')
  check(vim.deep_equal(last.argv, { 'alembic', 'upgrade', first.id }), 'no -n for [alembic]: ' .. table.concat(last.argv, ' '))
  check(vim.bo[last.bufnr].buftype == 'terminal' and vim.fn.bufwinnr(last.bufnr) > 0, 'it runs in a terminal window shown')
  check(db('shop.db') == first.id, ':AlembicUpgrade on the first migration: alembic_version = ' .. first.id)
  open_attached(second.file)
  alembic_run('AlembicUpgrade')
  check(db('shop.db') == second.id, ':AlembicUpgrade on the second: alembic_version = ' .. second.id)

  -- Downgrade asks; "Cancel" runs nothing, "Downgrade" runs it.
  open_attached(first.file)
  local select = vim.ui.select
  local asked
  local answer = 'Cancel'
  vim.ui.select = function(items, opts, on_choice)
    asked = opts.prompt
    check(vim.tbl_contains(items, answer), 'the confirmation offers ' .. answer)
    on_choice(answer)
  end
  local before = run.last
  vim.cmd('AlembicDowngrade')
  wait_for('the downgrade confirmation', function()
    return asked ~= nil
  end)
  check(asked:find(first.id, 1, true) ~= nil, 'the confirmation names the revision: ' .. asked)
  vim.wait(300) -- nothing may start: give it the chance to
  check(run.last == before and db('shop.db') == second.id, 'cancelled: nothing ran, still at ' .. second.id)
  answer = 'Downgrade'
  alembic_run('AlembicDowngrade')
  vim.ui.select = select
  check(db('shop.db') == first.id, ':AlembicDowngrade after yes: alembic_version = ' .. first.id)

  -- The revision under the cursor: the down_revision id in the second migration.
  local buf = open_attached(second.file)
  local row
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if line:match('^down_revision') then
      row = i
    end
  end
  local col = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]:find(first.id, 1, true)
  vim.api.nvim_win_set_cursor(0, { row, col + 1 })
  last = alembic_run('AlembicStamp')
  check(last.argv[#last.argv] == first.id, 'with the cursor on an id, Stamp takes that revision')
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  alembic_run('AlembicStamp')
  check(db('shop.db') == second.id, ':AlembicStamp stamps the migration of the buffer: alembic_version = ' .. second.id)
  last = alembic_run('AlembicCurrent')
  wait_for('"' .. second.id .. ' (head)" in the terminal', function()
    return terminal_text(last.bufnr):find(second.id .. ' (head)', 1, true) ~= nil
  end)
  check(true, ':AlembicCurrent shows "' .. second.id .. ' (head)" in its terminal')
  -- :AlembicMigrations marks what :AlembicCurrent printed (issue 21 part 2).
  local migrations = require('alembic_lsp.migrations')
  local shown
  wait_for(':AlembicMigrations', function()
    local before = migrations.last
    vim.cmd('AlembicMigrations')
    vim.wait(10000, function()
      return migrations.last ~= before
    end, 20)
    shown = migrations.last ~= before and migrations.last.items or {}
    return #shown > 1
  end)
  vim.cmd('wincmd p')
  local marked = {}
  for _, item in ipairs(shown) do
    local id = item.text:match('^history migrations: (%S+) %[current')
    if id then
      table.insert(marked, id)
    end
  end
  check(vim.deep_equal(marked, { second.id }), ':AlembicMigrations marks ' .. second.id .. ' current (marked: '
    .. table.concat(marked, ' ') .. ')')

  -- The [reports] section: Alembic reaches it only with -n reports.
  open_attached(revs.report.file)
  last = alembic_run('AlembicUpgrade')
  check(vim.deep_equal(last.argv, { 'alembic', '-n', 'reports', 'upgrade', revs.report.id }),
    'the second ini section gets -n reports: ' .. table.concat(last.argv, ' '))
  check(db('reports.db') == revs.report.id and db('shop.db') == second.id,
    'reports.db is at ' .. revs.report.id .. ', shop.db untouched')
end

-- Every diagnostic of a code on a buffer, in any namespace (a dead client's included).
local function all_of(bufnr, code)
  return t.diagnostics_with_code(bufnr, code)
end

-- The server's process id: client.rpc.pid up to Neovim 0.9; 0.10 keeps it private, so
-- then the one live child process of this Neovim running the server binary (nil if not one).
local function server_pid(client)
  if client.rpc.pid then
    return client.rpc.pid
  end
  local exe, found = uv.fs_realpath(binary), {}
  for _, pid in ipairs(vim.api.nvim_get_proc_children(vim.fn.getpid())) do
    if uv.fs_readlink('/proc/' .. pid .. '/exe') == exe then
      table.insert(found, pid)
    end
  end
  return #found == 1 and found[1] or nil
end

local function test_recovery()
  -- A copy of the second migration under another name: both files declare its id.
  local copy = project .. '/migrations/versions/copy_of_second.py'
  vim.fn.writefile(vim.fn.readfile(revs.second.file), copy)
  local buf = open_attached(copy)
  wait_for('duplicate-revision on the copy', function()
    return #all_of(buf, 'duplicate-revision') > 0
  end)
  local expected = #all_of(buf, 'duplicate-revision')
  local old = client_of(buf)
  local pid = server_pid(old)
  check(type(pid) == 'number' and pid > 0, 'the server runs as process ' .. tostring(pid))
  uv.kill(pid, 'sigkill')
  wait_for('a new alembic-lsp client on the buffer', function()
    local c = client_of(buf)
    return c ~= nil and c.id ~= old.id and c.initialized ~= false
  end)
  local new = client_of(buf)
  local new_pid
  wait_for('the new server process', function()
    new_pid = server_pid(new)
    return new_pid ~= nil
  end)
  check(new_pid ~= pid, 'after kill -9 a new server runs (process ' .. tostring(new_pid) .. ')')
  check(require('alembic_lsp.restart').count == 1, 'restarted once')
  local ns = vim.lsp.diagnostic.get_namespace(new.id)
  wait_for('the diagnostics of the new server', function()
    return #vim.diagnostic.get(buf, { namespace = ns }) > 0
  end)
  local ds = all_of(buf, 'duplicate-revision')
  check(#ds == expected, string.format('duplicate-revision shown %d time(s), as before the kill (got %d)', expected, #ds))
  check(#vim.diagnostic.get(buf, { namespace = vim.lsp.diagnostic.get_namespace(old.id) }) == 0,
    'nothing left from the dead server')
  local other = project .. '/migrations/versions/' .. vim.fn.fnamemodify(revs.first.file, ':t')
  local first = vim.fn.bufnr(other)
  check(first > 0 and client_of(first) ~= nil and client_of(first).id == new.id,
    'the other open migration is attached to the new server too')

  -- A crash loop: with a limit of 2 restarts a minute, the next death is the last.
  local restart = require('alembic_lsp.restart')
  restart.limit = 2
  local notify, said = vim.notify, {}
  vim.notify = function(message, level)
    table.insert(said, message)
    notify(message, level)
  end
  local function kill_and_wait(what)
    local c = client_of(buf)
    local c_pid = server_pid(c)
    check(c_pid ~= nil, 'the server process to kill: ' .. tostring(c_pid))
    uv.kill(c_pid, 'sigkill')
    local found
    wait_for(what, function()
      for _, m in ipairs(said) do
        if m:find('^alembic%-lsp: the server') then
          found = m
        end
      end
      return found ~= nil
    end)
    said = {}
    return found
  end
  check(kill_and_wait('the second restart'):find('restarting it', 1, true) ~= nil and restart.count == 2,
    'a second kill -9: restarted again (2 of 2)')
  wait_for('the restarted client', function()
    local c = client_of(buf)
    local c_pid = c and server_pid(c)
    return c ~= nil and c.initialized ~= false and c_pid ~= nil and c_pid ~= new_pid
  end)
  local last = kill_and_wait('the crash-loop message')
  vim.notify = notify
  check(last:find('not restarting it again', 1, true) ~= nil and restart.count == 2,
    'a third kill -9 within the minute: given up, with a message: ' .. last)
  check(client_of(buf) == nil, 'no server runs for the buffer')
end

local function main()
  tmp = t.start('alembic-lsp-nvim-run')
  project, revs = t.make_project(tmp)
  check(revs.first and revs.second and revs.report, 'three revisions made')

  alembic = require('alembic_lsp')
  compat = require('alembic_lsp.compat')
  run = require('alembic_lsp.run')
  alembic.setup({ cmd = { binary }, alembic_command = 'alembic' })
  test_commands()
  test_recovery()
end

t.run('nvim Alembic commands and recovery', main, function()
  t.stop_and_remove(compat and compat.clients(), tmp)
end)
