-- :AlembicRevision in real Neovim against the real server, on a project made by Debian's
-- real `alembic init` / `alembic revision` (tests/editors/alembic-project.sh) with a second
-- head added by `alembic revision --head FIRST --splice`. The command asks which head
-- (vim.ui.select) and the message (vim.ui.input): answered here through those hooks, which
-- UI plugins replace, since headless Neovim has no UI to type in (a stand-in for the
-- keypresses only). The new file must be on disk, shown in the current window, build on
-- the chosen head, and be accepted by the real `alembic heads`. The project keeps a head
-- file ([tool.alembic-lsp] head-file): the same edit must move it and save it.
local t = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/nvim_support.lua')
local binary = t.binary
local check, wait_for = t.check, t.wait_for

local tmp, project, revs
local compat

local function alembic_heads()
  local out = vim.fn.system({ 'sh', '-c', 'cd "$1" && alembic heads', 'sh', project })
  check(vim.v.shell_error == 0, '`alembic heads` runs: ' .. vim.trim(out))
  local ids = {}
  for id in out:gmatch('(%x+) %(head%)') do
    table.insert(ids, id)
  end
  table.sort(ids)
  return ids
end

local function new_files(before)
  local found = {}
  for _, f in ipairs(vim.fn.glob(project .. '/migrations/versions/*.py', false, true)) do
    if not before[f] then
      table.insert(found, f)
    end
  end
  return found
end

-- Waits until the one migration file not in `before` has content: its path.
local function wait_new_file(what, before)
  local created
  wait_for(what, function()
    local found = new_files(before)
    if #found == 1 and (t.read_file(found[1]) or '') ~= '' then
      created = found[1]
    end
    return created ~= nil
  end)
  return created
end

local function listing()
  local set = {}
  for _, f in ipairs(vim.fn.glob(project .. '/migrations/versions/*.py', false, true)) do
    set[f] = true
  end
  return set
end

local function main()
  tmp = t.start('alembic-lsp-nvim-rev')
  project, revs = t.make_project(tmp)
  local side = vim.fn.system({ 'sh', '-c', 'cd "$1" && alembic revision -m "side branch" --head "$2" --splice',
    'sh', project, revs.first.id })
  check(vim.v.shell_error == 0, 'a second head by `alembic revision --splice`: ' .. vim.trim(side))
  local heads = alembic_heads()
  check(#heads == 2, 'alembic heads lists two heads')
  local side_id = heads[1] == revs.second.id and heads[2] or heads[1]
  local head_file = project .. '/migrations/HEAD'
  vim.fn.writefile({ '[tool.alembic-lsp]', 'head-file = { migrations = "migrations/HEAD" }' },
    project .. '/pyproject.toml')
  vim.fn.writefile({ '# the head of migrations/', revs.second.id }, head_file)

  local alembic = require('alembic_lsp')
  compat = require('alembic_lsp.compat')
  local revision = require('alembic_lsp.revision')
  alembic.setup({ cmd = { binary } })
  check(vim.fn.exists(':AlembicRevision') == 2, ':AlembicRevision is defined')

  t.open_attached(revs.first.file, compat.clients)

  -- Two heads: it asks which, then the message.
  local select, input = vim.ui.select, vim.ui.input
  local offered, prompted
  vim.ui.select = function(items, opts, on_choice)
    offered = {}
    local chosen
    for _, item in ipairs(items) do
      local text = opts.format_item(item)
      table.insert(offered, text)
      if item.id == side_id then
        chosen = item
      end
    end
    on_choice(chosen)
  end
  vim.ui.input = function(opts, on_confirm)
    prompted = opts.prompt
    on_confirm('add orders table')
  end
  local before = listing()
  vim.cmd('AlembicRevision')
  local created = wait_new_file('the new migration on disk', before)
  vim.ui.select, vim.ui.input = select, input
  check(offered and #offered == 2, 'both heads offered: ' .. table.concat(offered or {}, ' | '))
  check(prompted ~= nil, 'the message was asked: ' .. tostring(prompted))
  check(t.ends_with(created, '_add_orders_table.py'), 'named after the message: ' .. created)
  local text = t.read_file(created)
  check(text:find("down_revision = '" .. side_id .. "'", 1, true) ~= nil, 'builds on the chosen head ' .. side_id)
  check(text:find('"""add orders table\n', 1, true) == 1, 'the message opens the docstring')
  wait_for('the new migration shown', function()
    return vim.api.nvim_buf_get_name(0) == created
  end)
  check(not vim.bo.modified, 'shown and saved')
  wait_for('the answer to alembic.newMigration', function()
    return revision.last ~= nil
  end)
  check(revision.last.parent == side_id, 'the server answered the parent ' .. side_id)
  local recorded = t.read_file(head_file) or ''
  check(recorded:find('\n[^#\n]*' .. revision.last.revision, 1) ~= nil,
    'the head file on disk records the new migration ' .. revision.last.revision .. ': ' .. recorded)
  local head_buf = vim.fn.bufnr(head_file)
  check(head_buf == -1 or not vim.bo[head_buf].modified, 'the head file is saved')
  local after = alembic_heads()
  check(vim.tbl_contains(after, revision.last.revision) and not vim.tbl_contains(after, side_id),
    'the real `alembic heads` now lists the new revision instead of ' .. side_id)

  -- A message on the command line, the head given: no question asked.
  vim.ui.select = function()
    t.fail('no head question when opts.head is given')
  end
  before = listing()
  revision.new_migration({ message = 'add index', head = revs.second.id })
  vim.ui.select = select
  created = wait_new_file('the second new migration on disk', before)
  check(t.read_file(created):find("down_revision = '" .. revs.second.id .. "'", 1, true) ~= nil,
    'opts.head: builds on ' .. revs.second.id)
  check(#alembic_heads() == 2, 'still two heads for Alembic, each moved on')
end

t.run('nvim :AlembicRevision', main, function()
  t.stop_and_remove(compat and compat.clients(), tmp)
end)
