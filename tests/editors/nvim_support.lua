-- What the Neovim editor tests share: one line per check on stdout, bounded waits, files.
--   local t = dofile(source_dir .. '/tests/editors/nvim_support.lua')
local M = {}

M.WAIT_MS = 60000 -- the longest any single wait may take

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
