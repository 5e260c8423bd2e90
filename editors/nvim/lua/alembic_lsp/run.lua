-- :AlembicUpgrade, :AlembicDowngrade, :AlembicStamp, :AlembicCurrent: the project's own
-- Alembic (setup({ alembic_command = 'uv run alembic' }), default 'alembic') run in a
-- terminal buffer, in the directory of the environment's alembic.ini, on the revision
-- under the cursor (a revision id the cursor is on, else the migration in the buffer, so
-- the code lens line above `revision = ...` names its own revision). An ini section
-- other than [alembic] is passed as `-n SECTION`. Downgrade asks first. The server never
-- runs Alembic; it only tells where (alembic/graph).
local compat = require('alembic_lsp.compat')
local detect = require('alembic_lsp.detect')

local M = {}

M.actions = { upgrade = true, downgrade = true, stamp = true, current = true }

-- The configured command as a list of words: a string is split on blanks.
M.command = { 'alembic' }

--- The last run: { argv, cwd, bufnr (terminal), job, exit_code (once it ended) }.
M.last = nil

local function notify(message, level)
  vim.notify('alembic-lsp: ' .. message, level or vim.log.levels.INFO)
end

--- Sets the command from a string ('uv run alembic') or a list of words.
function M.set_command(command)
  if type(command) == 'string' then
    command = vim.split(vim.trim(command), '%s+')
  end
  if type(command) ~= 'table' or #command == 0 or command[1] == '' then
    command = { 'alembic' }
  end
  M.command = command
end

--- The argument list: command, `-n SECTION` (an ini section other than [alembic]),
--- the subcommand, the revision.
function M.argv(action, revision, section)
  local argv = vim.deepcopy(M.command)
  if type(section) == 'string' and section ~= '' and section ~= 'alembic' then
    vim.list_extend(argv, { '-n', section })
  end
  table.insert(argv, action)
  if action ~= 'current' then
    table.insert(argv, revision)
  end
  return argv
end

-- The environment holding `path` and the revision to act on: `wanted` (an id typed or
-- under the cursor) when the environment has it, else the migration at `path`.
local function locate(environments, path, wanted)
  for _, env in ipairs(environments or {}) do
    local own, named
    for _, r in ipairs(env.revisions or {}) do
      if r.path == path then
        own = r
      end
      if wanted and r.id == wanted then
        named = r
      end
    end
    if own or named then
      return env, named or own
    end
  end
  return nil
end

local function directory_of(env, client)
  if type(env.config) == 'string' then
    return vim.fn.fnamemodify(env.config, ':h')
  end
  return client.config.root_dir or vim.fn.getcwd()
end

-- Asks through vim.ui.select (what dressing.nvim, telescope-ui-select etc. replace);
-- calls yes() only when 'Downgrade' is picked.
local function confirm(message, yes)
  vim.ui.select({ 'Downgrade', 'Cancel' }, { prompt = message }, function(choice)
    if choice == 'Downgrade' then
      yes()
    else
      notify('downgrade cancelled')
    end
  end)
end

-- A terminal window below, running argv in cwd.
local function run_in_terminal(argv, cwd)
  vim.cmd('botright 12new')
  local bufnr = vim.api.nvim_get_current_buf()
  local last = { argv = argv, cwd = cwd, bufnr = bufnr }
  M.last = last
  local opts = {
    cwd = cwd,
    on_exit = function(_, code)
      last.exit_code = code
    end,
  }
  if vim.fn.has('nvim-0.11') == 1 then
    opts.term = true
    last.job = vim.fn.jobstart(argv, opts)
  else
    last.job = vim.fn.termopen(argv, opts)
  end
  if last.job <= 0 then
    notify("could not run '" .. argv[1] .. "': set setup({ alembic_command = ... })", vim.log.levels.ERROR)
  end
  vim.cmd('wincmd p')
  return last
end

--- Runs `action` ('upgrade', 'downgrade', 'stamp', 'current') for the current buffer.
--- `revision`: an id to use instead of the one under the cursor.
function M.run(action, revision)
  if not M.actions[action] then
    notify('unknown Alembic action ' .. tostring(action), vim.log.levels.ERROR)
    return
  end
  local bufnr = vim.api.nvim_get_current_buf()
  local client = compat.clients(bufnr)[1]
  if not client then
    notify('alembic-lsp is not attached to this buffer', vim.log.levels.ERROR)
    return
  end
  local path = detect.buffer_path(bufnr)
  local wanted = revision
  if not wanted or wanted == '' then
    wanted = vim.fn.expand('<cword>'):match('^[%w_]+$')
  end
  local params = { uri = vim.uri_from_bufnr(bufnr) }
  local deadline = (vim.uv or vim.loop).now() + 10000
  local function answered(err, result)
    if err then
      notify('alembic/graph failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    local env, target = locate(result and result.environments, path, wanted)
    if not env and result and result.indexed == false and (vim.uv or vim.loop).now() < deadline then
      -- A server just started may still be indexing: ask again shortly.
      vim.defer_fn(function()
        compat.request(client, 'alembic/graph', params, answered, bufnr)
      end, 200)
      return
    end
    if not env then
      notify('no revision here: open a migration of an Alembic environment', vim.log.levels.ERROR)
      return
    end
    if revision and revision ~= '' and (not target or target.id ~= revision) then
      notify('no revision ' .. revision .. ' in ' .. env.name, vim.log.levels.ERROR)
      return
    end
    if action ~= 'current' and not target then
      notify('no revision here', vim.log.levels.ERROR)
      return
    end
    local function go()
      local last = run_in_terminal(M.argv(action, target and target.id, env.section), directory_of(env, client))
      last.env_name = env.name -- :AlembicMigrations marks what `current` printed
    end
    if action == 'downgrade' then
      confirm(string.format('Downgrade the database of %s to %s? Every migration after it is undone.',
        env.name, target.id), go)
    else
      go()
    end
  end
  compat.request(client, 'alembic/graph', params, answered, bufnr)
end

local commands = {
  AlembicUpgrade = { 'upgrade', 'upgrade the database to the revision here (alembic upgrade)' },
  AlembicDowngrade = { 'downgrade', 'downgrade the database to the revision here, after asking' },
  AlembicStamp = { 'stamp', 'stamp the database with the revision here, running nothing' },
  AlembicCurrent = { 'current', "show the database's current revision (alembic current)" },
}

--- Defines :AlembicUpgrade [ID], :AlembicDowngrade [ID], :AlembicStamp [ID], :AlembicCurrent.
function M.create_commands()
  for name, spec in pairs(commands) do
    vim.api.nvim_create_user_command(name, function(args)
      require('alembic_lsp.run').run(spec[1], args.args)
    end, { nargs = '?', desc = 'alembic-lsp: ' .. spec[2] })
  end
end

return M
