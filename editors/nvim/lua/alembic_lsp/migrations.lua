-- :AlembicMigrations [WORDS]: the migrations view (what VS Code shows in its Explorer tree)
-- as a quickfix list. Per environment: its heads, then its whole history from the bases
-- to the heads, one line per revision with its markers (head, base, merge point, branch
-- point, duplicated id, branch labels, `current` when :AlembicCurrent last reported it) and
-- the problems of its file; then the missing parents and the problems of files that
-- declare no revision. Each entry opens the migration at `revision = ...`; an entry with
-- an error or a warning has that type (E/W). WORDS keep the revisions whose id or message
-- holds every word (case-insensitive). The content comes from the server's
-- `alembic/migrations` request.
local compat = require('alembic_lsp.compat')

local M = {}

M.request = 'alembic/migrations'

--- The last list shown: { title, items, client_id } (for tests and other plugins).
M.last = nil

local function notify(message, level)
  vim.notify('alembic-lsp: ' .. message, level or vim.log.levels.INFO)
end

local kind_names = {
  head = 'head',
  base = 'base',
  merge = 'merge point',
  ['branch-point'] = 'branch point',
  duplicate = 'duplicated id',
}

--- Whether a revision matches the filter: each word is part of its id or message.
function M.matches(revision, filter)
  if filter == nil or filter == '' then
    return true
  end
  local id = revision.id:lower()
  local message = (revision.message or ''):lower()
  for word in filter:lower():gmatch('%S+') do
    if not id:find(word, 1, true) and not message:find(word, 1, true) then
      return false
    end
  end
  return true
end

local function first_line(text)
  return vim.trim(((text or '') .. '\n'):match('^([^\n]*)\n'))
end

local function worst(problems)
  local t = nil
  for _, p in ipairs(problems or {}) do
    if p.severity == 'error' then
      return 'E'
    elseif p.severity == 'warning' then
      t = 'W'
    end
  end
  return t
end

--- The text of a revision's entry: "ID [markers] — message | problems".
function M.revision_text(env, revision, current)
  local markers = {}
  if current then
    table.insert(markers, 'current')
  end
  for _, k in ipairs(revision.kinds or {}) do
    table.insert(markers, kind_names[k] or k)
  end
  if revision.branch_labels and #revision.branch_labels > 0 then
    table.insert(markers, '(' .. table.concat(revision.branch_labels, ', ') .. ')')
  end
  local text = env.name .. ': ' .. revision.id
  if #markers > 0 then
    text = text .. ' [' .. table.concat(markers, ', ') .. ']'
  end
  local message = first_line(revision.message)
  if message ~= '' then
    text = text .. ' — ' .. message
  end
  for _, p in ipairs(revision.problems or {}) do
    text = text .. ' | ' .. p.severity .. ' ' .. p.code .. ': ' .. p.message
  end
  return text
end

--- The quickfix items of a result (alembic/migrations). `current`: environment name ->
--- list of ids the database reported.
function M.items(result, filter, current)
  current = current or {}
  local items = {}
  local function contains(list, value)
    return vim.tbl_contains(list or {}, value)
  end
  for _, env in ipairs(result.environments or {}) do
    local heads = #(env.heads or {})
    table.insert(items, {
      text = string.format('%s: %d %s, %d revisions', env.name, heads, heads == 1 and 'head' or 'heads',
        #(env.revisions or {})),
      filename = type(env.config) == 'string' and env.config or nil,
      valid = type(env.config) == 'string' and 1 or 0,
    })
    local function add(revision, section)
      if not M.matches(revision, filter) then
        return
      end
      table.insert(items, {
        filename = revision.path,
        lnum = revision.line,
        col = 1,
        type = worst(revision.problems),
        text = section .. M.revision_text(env, revision, contains(current[env.name], revision.id)),
      })
    end
    for _, revision in ipairs(env.revisions or {}) do
      if contains(revision.kinds, 'head') then
        add(revision, 'heads  ')
      end
    end
    for _, revision in ipairs(env.revisions or {}) do
      add(revision, 'history ')
    end
    for _, m in ipairs(env.missing or {}) do
      local child
      for _, revision in ipairs(env.revisions or {}) do
        if contains(m.referenced_by, revision.id) then
          child = revision
          break
        end
      end
      table.insert(items, {
        filename = child and child.path or nil,
        lnum = child and child.line or nil,
        type = 'E',
        text = string.format('missing %s: %s, named by %s', env.name, m.id, table.concat(m.referenced_by, ', ')),
      })
    end
    for _, p in ipairs(env.problems or {}) do
      table.insert(items, {
        filename = p.path,
        lnum = p.line,
        type = p.severity == 'error' and 'E' or 'W',
        text = string.format('other   %s: %s %s: %s', env.name, p.severity, p.code, p.message),
      })
    end
  end
  return items
end

--- What the last :AlembicCurrent printed, by environment name (from its terminal buffer),
--- when it ended with 0.
function M.current_revisions()
  local run = require('alembic_lsp.run')
  local last = run.last
  if not last or last.exit_code ~= 0 or not last.env_name or not vim.tbl_contains(last.argv or {}, 'current') then
    return {}
  end
  if not last.bufnr or not vim.api.nvim_buf_is_valid(last.bufnr) then
    return {}
  end
  local ids = {}
  for _, line in ipairs(vim.api.nvim_buf_get_lines(last.bufnr, 0, -1, false)) do
    -- "ID", "ID (head)", "ID (head) (mergepoint)": what `alembic current` prints per head.
    local id, rest = vim.trim(line):match('^([%w_]+)(.*)$')
    if id and vim.trim(rest):gsub('%((%a[%a ]*)%)%s*', '') == '' then
      table.insert(ids, id)
    end
  end
  return { [last.env_name] = ids }
end

-- The client of the current buffer; from the quickfix window (no client there), the one
-- that gave the list shown; else any.
local function pick_client()
  local client = compat.clients(vim.api.nvim_get_current_buf())[1]
  if client then
    return client
  end
  client = M.last and vim.lsp.get_client_by_id(M.last.client_id)
  if client and not compat.is_stopped(client) then
    return client
  end
  return compat.clients()[1]
end

--- Asks the server and fills the quickfix list; `done(items)` afterwards (tests).
function M.show(filter, done)
  local client = pick_client()
  if not client then
    notify('no alembic-lsp client is running: open a migration first', vim.log.levels.WARN)
    return
  end
  compat.request(client, M.request, {}, function(err, result)
    if err then
      notify(M.request .. ' failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    local items = M.items(result or {}, filter, M.current_revisions())
    local title = 'alembic migrations' .. ((filter and filter ~= '') and (': ' .. filter) or '')
    M.last = { title = title, items = items, client_id = client.id }
    vim.fn.setqflist({}, ' ', { title = title, items = items })
    vim.cmd('copen')
    if done then
      done(items)
    end
  end)
end

function M.create_commands()
  vim.api.nvim_create_user_command('AlembicMigrations', function(args)
    M.show(args.args)
  end, { nargs = '*', desc = 'alembic-lsp: list heads and history (filter: words of id or message)' })
end

return M
