---@brief
---
--- https://github.com/OWNER/alembic-lsp
---
--- `alembic-lsp`, a language server for Alembic (SQLAlchemy) migration directories:
--- diagnostics on the revision graph (multiple heads, missing or duplicate revisions,
--- cycles, ...), go-to-definition and references between revisions, hover, code lenses
--- and a merge-heads code action.
---
--- It starts only for Python files that are migrations (in a `versions` directory,
--- below an Alembic script location, or assigning `revision =` at module level), and
--- runs beside your Python language server.
---
--- ```sh
--- pipx install alembic-lsp
--- ```

-- A migration: in a `versions` directory, or below a script location (a directory with
-- script.py.mako, or env.py beside versions/; env.py itself is not one), or assigning
-- `revision` / `down_revision` at module level. The server decides what really is one;
-- this only keeps it from starting for application code.
local function is_migration(bufnr, path, root)
  if not path:match('%.py$') then
    return false
  end
  local dir = vim.fs.dirname(path)
  if vim.fs.basename(dir) == 'versions' then
    return true
  end
  for ancestor in vim.fs.parents(dir) do
    if
      vim.uv.fs_stat(ancestor .. '/script.py.mako')
      or (vim.uv.fs_stat(ancestor .. '/env.py') and vim.uv.fs_stat(ancestor .. '/versions'))
    then
      return true
    end
    if ancestor == root then
      break
    end
  end
  for _, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, 300, false)) do
    if line:match('^revision%s*[:=]') or line:match('^down_revision%s*[:=]') then
      return true
    end
  end
  return false
end

---@type vim.lsp.Config
return {
  cmd = { 'alembic-lsp' },
  filetypes = { 'python' },
  root_dir = function(bufnr, on_dir)
    local path = vim.api.nvim_buf_get_name(bufnr)
    if path == '' then
      return
    end
    local root = vim.fs.root(bufnr, { 'alembic.ini', 'pyproject.toml' })
    if is_migration(bufnr, path, root) then
      on_dir(root or vim.fs.dirname(path))
    end
  end,
  commands = {
    -- The code lenses "head", "N children", "merge of N": the server answers with the
    -- revision's parents or children, shown in the quickfix list.
    ['alembic.showRevisions'] = function(command, ctx)
      local client = assert(vim.lsp.get_client_by_id(ctx.client_id))
      client:request('workspace/executeCommand', {
        command = command.command,
        arguments = command.arguments,
      }, function(err, locations)
        if err or not locations or #locations == 0 then
          vim.notify('alembic-lsp: ' .. (err and err.message or 'no revisions to show'), vim.log.levels.WARN)
          return
        end
        local items = vim.lsp.util.locations_to_items(locations, client.offset_encoding)
        vim.fn.setqflist({}, ' ', { title = 'alembic: ' .. (command.title or ''), items = items })
        vim.cmd(#items == 1 and 'cfirst' or 'botright copen')
      end, ctx.bufnr)
    end,
  },
}
