-- A server that dies (crash, kill -9, out of memory) is started again for the buffers it
-- served; Neovim itself drops the dead client's diagnostics (its namespace is reset), so
-- none are left twice. A clean stop (:LspStop, exit code 0 or SIGTERM) or Neovim quitting
-- is not restarted, and a server that keeps dying is given up after `limit` restarts
-- within `window_ms` (a crash loop), with an error saying so.
local M = {}

M.limit = 3
M.window_ms = 60000

--- Restarts so far, for tests and :messages.
M.count = 0

local leaving = false
local recent = {} -- root -> times (ms) of its recent restarts

local function now_ms()
  return (vim.uv or vim.loop).now()
end

local function crashed(code, signal)
  return code ~= 0 or (signal ~= 0 and signal ~= 15)
end

-- Whether another restart of `root` is allowed now (records it when so).
local function allowed(root)
  local kept = {}
  for _, t in ipairs(recent[root] or {}) do
    if now_ms() - t < M.window_ms then
      table.insert(kept, t)
    end
  end
  if #kept >= M.limit then
    recent[root] = kept
    return false
  end
  table.insert(kept, now_ms())
  recent[root] = kept
  return true
end

-- Runs fn once Neovim has dropped the dead client. Neovim 0.10 calls the config's on_exit
-- before its own exit handling, which removes the client only in callbacks it schedules
-- then: a vim.lsp.start() before that would reuse the dead client (same name and root).
local function when_gone(client_id, fn, tries)
  tries = tries or 0
  if vim.lsp.get_client_by_id(client_id) == nil or tries >= 100 then
    fn()
    return
  end
  vim.schedule(function()
    when_gone(client_id, fn, tries + 1)
  end)
end

--- Wraps a client's on_exit: when the server crashed, `attach(bufnr)` is called for each
--- buffer it served (still loaded), which starts a new server for them.
function M.wrap_on_exit(on_exit, root, attach)
  return function(code, signal, client_id)
    local buffers = vim.lsp.get_buffers_by_client_id(client_id) or {}
    if on_exit then
      on_exit(code, signal, client_id)
    end
    if leaving or not crashed(code, signal) then
      return
    end
    vim.schedule(function()
      if not allowed(root or '') then
        vim.notify(string.format('alembic-lsp: the server died again after %d restarts within %d s; '
          .. 'not restarting it again (see :LspLog; :edit a migration to start it by hand)', M.limit,
          M.window_ms / 1000),
          vim.log.levels.ERROR)
        return
      end
      M.count = M.count + 1
      vim.notify(string.format('alembic-lsp: the server stopped (exit code %s, signal %s); restarting it',
        tostring(code), tostring(signal)), vim.log.levels.WARN)
      when_gone(client_id, function()
        for _, bufnr in ipairs(buffers) do
          if vim.api.nvim_buf_is_loaded(bufnr) then
            attach(bufnr)
          end
        end
      end)
    end)
  end
end

vim.api.nvim_create_autocmd('VimLeavePre', {
  group = vim.api.nvim_create_augroup('alembic_lsp_restart', { clear = true }),
  callback = function()
    leaving = true
  end,
})

return M
