-- What the Neovim editor tests share: one line per check on stdout, bounded waits, files,
-- the start every test makes (start), private copies of examples (copy_example), the real
-- Alembic project (make_project), buffers with the server attached (open_attached).
--   local t = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/nvim_support.lua')
local uv = vim.uv or vim.loop
local M = {}

M.WAIT_MS = 60000 -- the longest any single wait may take

-- The source tree (editors/nvim, examples/ and tests/editors are read from it) and the
-- server under test.
local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
M.source_dir = os.getenv('ALEMBIC_SOURCE_DIR') or vim.fn.fnamemodify(here, ':h:h')
M.binary = os.getenv('ALEMBIC_LSP_BINARY') or ''

function M.say(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

-- Ends the test at the first failed check (main() catches it).
function M.fail(message)
  error({ check = message }, 0)
end

function M.check(condition, message)
  if not condition then
    M.fail(message)
  end
  M.say('ok - ' .. message)
end

function M.wait_for(what, predicate, ms)
  ms = ms or M.WAIT_MS
  if not vim.wait(ms, predicate, 50) then
    M.fail('timed out after ' .. ms / 1000 .. ' s waiting for ' .. what)
  end
end

function M.read_file(path)
  local f = io.open(path, 'r')
  if not f then
    return nil
  end
  local text = f:read('*a')
  f:close()
  return text
end

function M.edit(path)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

function M.ends_with(s, suffix)
  return s:sub(-#suffix) == suffix
end

function M.check_binary()
  M.check(M.binary ~= '' and vim.fn.executable(M.binary) == 1,
    'ALEMBIC_LSP_BINARY is an executable: ' .. (M.binary ~= '' and M.binary or '(unset)'))
end

--- Says which Neovim runs, checks the server binary, puts the plugin (editors/nvim) on the
--- runtimepath as -u NONE leaves it, and makes the test's temporary directory, whose name
--- starts with prefix: its path.
function M.start(prefix)
  M.say('# ' .. vim.fn.execute('version'):match('NVIM v[^\n]*'))
  M.check_binary()
  local tmp = uv.fs_mkdtemp((os.getenv('TMPDIR') or '/tmp') .. '/' .. prefix .. '-XXXXXX')
  vim.opt.rtp:prepend(M.source_dir .. '/editors/nvim')
  vim.o.hidden = true
  vim.cmd('filetype on')
  return tmp
end

--- A private copy of examples/name in dir: its real path.
function M.copy_example(name, dir)
  vim.fn.system({ 'cp', '-R', M.source_dir .. '/examples/' .. name, dir .. '/' .. name })
  M.check(vim.v.shell_error == 0, 'copied examples/' .. name .. ' to ' .. dir)
  return uv.fs_realpath(dir .. '/' .. name)
end

--- A real Alembic project made by tests/editors/alembic-project.sh (`alembic init`,
--- `alembic revision`) in dir/shop: its path, and { id =, file = } of each revision by name.
function M.make_project(dir)
  local project = uv.fs_realpath(dir) .. '/shop'
  local out = vim.fn.system({ 'sh', M.source_dir .. '/tests/editors/alembic-project.sh', project })
  M.check(vim.v.shell_error == 0, 'made an Alembic project with alembic init / revision: ' .. vim.trim(out))
  local revs = {}
  for name, id, file in out:gmatch('(%w+) (%w+) (%S+)') do
    revs[name] = { id = id, file = file }
  end
  return project, revs
end

--- Edits path and waits until the first of clients(buf) has initialized: the buffer.
function M.open_attached(path, clients)
  local buf = M.edit(path)
  M.wait_for('alembic-lsp on ' .. vim.fn.fnamemodify(path, ':t'), function()
    local c = clients(buf)[1]
    return c ~= nil and c.initialized ~= false
  end)
  return buf
end

--- The diagnostics with this code on a buffer: vim.diagnostic.get(bufnr, opts) filtered.
function M.diagnostics_with_code(bufnr, code, opts)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr, opts)) do
    if d.code == code then
      table.insert(found, d)
    end
  end
  return found
end

--- run()'s cleanup: stops the clients (a list, or nil) and removes dir (when not nil).
function M.stop_and_remove(clients, dir)
  for _, c in ipairs(clients or {}) do
    vim.lsp.stop_client(c.id, true)
  end
  if dir then
    vim.fn.delete(dir, 'rf')
  end
end

--- Runs main() and quits Neovim: 0 when every check passed, 1 (:cquit) otherwise.
--- cleanup() runs either way.
function M.run(name, main, cleanup)
  local ok, err = xpcall(main, function(e)
    if type(e) == 'table' and e.check then
      return e.check
    end
    return debug.traceback(tostring(e), 2)
  end)
  pcall(cleanup)
  if ok then
    M.say('PASS: ' .. name)
    vim.cmd('qall!')
  else
    M.say('FAIL: ' .. tostring(err))
    vim.cmd('cquit 1')
  end
end

return M
