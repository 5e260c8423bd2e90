-- The few client APIs that changed between Neovim 0.7 and 0.11.
local M = {}

M.name = 'alembic_lsp'

local function has(version)
  return vim.fn.has('nvim-' .. version) == 1
end

--- The alembic-lsp clients attached to a buffer (every buffer when bufnr is nil).
function M.clients(bufnr)
  if vim.lsp.get_clients then -- 0.10+
    return vim.lsp.get_clients({ bufnr = bufnr, name = M.name })
  end
  if has('0.8') then
    return vim.lsp.get_active_clients({ bufnr = bufnr, name = M.name })
  end
  local found = {}
  local all = bufnr and vim.lsp.buf_get_clients(bufnr) or vim.lsp.get_active_clients()
  for _, client in pairs(all) do
    if client.name == M.name then
      table.insert(found, client)
    end
  end
  return found
end

--- client:request() from 0.11 on, client.request() before (0.11 deprecates the latter).
function M.request(client, method, params, handler, bufnr)
  if has('0.11') then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

function M.is_stopped(client)
  if has('0.11') then
    return client:is_stopped()
  end
  return client.is_stopped()
end

return M
