-- Where a buffer's Alembic project starts, and whether a Python buffer is a migration.
--
-- Pure path and text checks (plus fs_stat), so the same code serves setup(), the
-- nvim-lspconfig table and the Neovim 0.11 `lsp/alembic_lsp.lua` config.
local M = {}

local uv = vim.uv or vim.loop

M.default_root_markers = { 'alembic.ini', 'pyproject.toml' }

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

--- The directory above `path` ('/a/b/c' -> '/a/b'), or nil at the file system root.
function M.parent(path)
  if path == '/' or path == '' then
    return nil
  end
  local dir = path:gsub('/+$', ''):match('^(.*)/[^/]*$')
  if dir == nil then
    return nil
  end
  if dir == '' then
    return '/'
  end
  return dir
end

local function join(dir, name)
  if dir:sub(-1) == '/' then
    return dir .. name
  end
  return dir .. '/' .. name
end

local function basename(path)
  return path:gsub('/+$', ''):match('([^/]*)$')
end

--- An absolute, normalised file name for a buffer, or nil for a buffer without a file.
function M.buffer_path(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or name:match('^%a[%w+.-]*://') then
    return nil
  end
  return vim.fn.fnamemodify(name, ':p')
end

--- The nearest directory above `path` holding one of `markers`, or nil.
function M.find_root(path, markers)
  markers = markers or M.default_root_markers
  local dir = M.parent(path)
  while dir do
    for _, marker in ipairs(markers) do
      if exists(join(dir, marker)) then
        return dir
      end
    end
    dir = M.parent(dir)
  end
  return nil
end

--- The root for a migration file: the nearest marker directory; without one, the
--- directory above `versions` (a bare migration directory), else the file's own.
function M.root_for(path, markers)
  local root = M.find_root(path, markers)
  if root then
    return root
  end
  local dir = M.parent(path)
  if dir and basename(dir) == 'versions' then
    return M.parent(dir) or dir
  end
  return dir
end

-- A script location (what `alembic init` creates) has env.py beside script.py.mako or
-- a versions/ directory.
local function is_script_location(dir)
  if exists(join(dir, 'script.py.mako')) then
    return true
  end
  return exists(join(dir, 'env.py')) and exists(join(dir, 'versions'))
end

-- Module-level `revision = ...` / `down_revision: str = ...` in the first lines.
local function has_revision_assignment(lines)
  for _, line in ipairs(lines) do
    if line:match('^revision%s*[:=]') or line:match('^down_revision%s*[:=]') then
      return true
    end
  end
  return false
end

--- Whether a Python buffer looks like a migration: it sits in a `versions` directory,
--- or somewhere below a script location (not beside env.py itself), or it assigns
--- `revision` / `down_revision` at module level. Cheap on purpose: the server decides
--- what really is a migration; this only avoids starting it for application code.
function M.is_migration(bufnr, path)
  path = path or M.buffer_path(bufnr)
  if not path or not path:match('%.py$') then
    return false
  end
  local dir = M.parent(path)
  if dir and basename(dir) == 'versions' then
    return true
  end
  -- Start one level up: env.py's own directory is the script location.
  local ancestor = dir and M.parent(dir)
  local root = M.find_root(path)
  while ancestor do
    if is_script_location(ancestor) then
      return true
    end
    if ancestor == root then
      break
    end
    ancestor = M.parent(ancestor)
  end
  if bufnr and vim.api.nvim_buf_is_loaded(bufnr) then
    return has_revision_assignment(vim.api.nvim_buf_get_lines(bufnr, 0, 300, false))
  end
  local ok, lines = pcall(vim.fn.readfile, path, '', 300)
  return ok and has_revision_assignment(lines)
end

return M
