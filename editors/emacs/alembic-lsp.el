;;; alembic-lsp.el --- Alembic migrations with alembic-lsp through Eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: languages, tools, sql

;;; Commentary:

;; alembic-lsp is a language server for Alembic (SQLAlchemy) migration directories:
;; diagnostics on the revision graph, go-to-definition from any revision id, references,
;; hover, and a "merge heads" code action.
;;
;; Eglot runs one server per major mode and project, and python-mode's server is your
;; Python server (pylsp, pyright, ...).  So migrations get a major mode of their own,
;; `alembic-migration-mode' (python-mode with everything python-mode has), which Eglot
;; serves with alembic-lsp.  Files are put in that mode through `magic-mode-alist' when
;; they look like migrations: in a `versions' directory, below an Alembic script
;; location, or assigning `revision' / `down_revision' at module level.
;;
;; Setup:
;;
;;   (add-to-list 'load-path "/path/to/alembic-lsp/editors/emacs")
;;   (require 'alembic-lsp)
;;
;; Migrations then start alembic-lsp by themselves (see `alembic-lsp-autostart').
;; M-x alembic-lsp-merge-heads merges the heads of the environment into a new migration.
;; M-x alembic-lsp-new-migration writes a new migration, as `alembic revision -m MSG' would.
;; M-x alembic-lsp-upgrade, alembic-lsp-downgrade (asks first), alembic-lsp-stamp and
;; alembic-lsp-current run the project's own Alembic (`alembic-lsp-alembic-command') on
;; the revision at point or in the buffer, in the *alembic* buffer, in the directory of
;; the environment's alembic.ini (`-n SECTION' for a section other than [alembic]).
;; M-x alembic-lsp-migrations lists every environment's heads and history, with
;; merge and branch points, problems and the database's current revision marked.
;; A server that dies is started again by Eglot (`eglot-autoreconnect': only when it
;; had run that many seconds, which stops a crash loop).

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'python)
(require 'project)
(require 'eglot)

(defgroup alembic-lsp nil
  "Alembic migrations through the alembic-lsp language server."
  :group 'tools
  :prefix "alembic-lsp-")

(defcustom alembic-lsp-command '("alembic-lsp")
  "The alembic-lsp program and its arguments (none: LSP over stdio)."
  :type '(repeat string))

(defcustom alembic-lsp-root-markers '("alembic.ini" "pyproject.toml")
  "Files marking the project root of migrations outside any VC project.
Inside a Git (or other VC) project, Eglot uses that project's root,
as for any server."
  :type '(repeat string))

(defcustom alembic-lsp-autostart t
  "Non-nil means `alembic-migration-mode' buffers call `eglot-ensure'."
  :type 'boolean)

(defcustom alembic-lsp-save-merged t
  "Non-nil means the merge migration is saved as soon as alembic-lsp writes it."
  :type 'boolean)

(defcustom alembic-lsp-open-merged t
  "Non-nil means the merge migration is shown once created."
  :type 'boolean)

(defcustom alembic-lsp-alembic-command "alembic"
  "How to run the project's Alembic, as a shell would split it.
For example \"uv run alembic\" or \"poetry run alembic\".  Used by
`alembic-lsp-upgrade', `alembic-lsp-downgrade', `alembic-lsp-stamp'
and `alembic-lsp-current'; alembic-lsp itself never runs Alembic."
  :type 'string)

(defconst alembic-lsp--merge-kind "source.alembic.mergeHeads"
  "The code action kind of alembic-lsp's merge action.")

(defconst alembic-lsp--merge-command "alembic.mergeHeads"
  "The command alembic-lsp's merge action runs.")

;;;; Which files are migrations

(defun alembic-lsp--script-location-p (dir)
  "Non-nil if DIR is an Alembic script location (what `alembic init' creates)."
  (or (file-exists-p (expand-file-name "script.py.mako" dir))
      (and (file-exists-p (expand-file-name "env.py" dir))
           (file-directory-p (expand-file-name "versions" dir)))))

(defun alembic-lsp--parent (dir)
  "The directory above DIR, or nil at the file system root."
  (let ((parent (file-name-directory (directory-file-name dir))))
    (unless (or (null parent) (equal parent dir)) parent)))

(defun alembic-lsp--root (file)
  "The nearest directory above FILE holding one of `alembic-lsp-root-markers'."
  (cl-some (lambda (marker) (locate-dominating-file file marker)) alembic-lsp-root-markers))

(defun alembic-lsp--assigns-revision-p ()
  "Non-nil if the current buffer assigns revision or down_revision at module level."
  (save-excursion
    (save-restriction
      (widen)
      (goto-char (point-min))
      (let ((case-fold-search nil)
            (limit (min (point-max) 30000)))
        (re-search-forward "^\\(?:down_\\)?revision[ \t]*[:=]" limit t)))))

(defun alembic-lsp-migration-file-p (file)
  "Non-nil if FILE, a Python file visited in this buffer, looks like a migration.
Cheap on purpose: the server decides what really is a migration;
this only keeps application code with its Python server."
  (when (and file (string-suffix-p ".py" file))
    (let* ((dir (file-name-directory (expand-file-name file)))
           (root (alembic-lsp--root file)))
      (or (equal (file-name-nondirectory (directory-file-name dir)) "versions")
          ;; Below a script location, but not beside env.py itself.
          (cl-loop for ancestor = (alembic-lsp--parent dir) then (alembic-lsp--parent ancestor)
                   while ancestor
                   thereis (alembic-lsp--script-location-p ancestor)
                   until (and root (file-equal-p ancestor root)))
          (alembic-lsp--assigns-revision-p)))))

(defun alembic-lsp--magic-mode-p ()
  "`magic-mode-alist' predicate: the visited file is a migration."
  (and buffer-file-name (alembic-lsp-migration-file-p buffer-file-name)))

;;;; The major mode

;;;###autoload
(define-derived-mode alembic-migration-mode python-mode "Alembic"
  "Major mode for Alembic migrations: `python-mode' served by alembic-lsp.
A mode of its own because Eglot runs one server per major mode and
project: `python-mode' buffers keep your Python server."
  (alembic-lsp--setup-buffer))

(defconst alembic-lsp--server-entry
  '(((alembic-migration-mode :language-id "python")
     (alembic-migration-ts-mode :language-id "python"))
    . alembic-lsp--contact)
  "The `eglot-server-programs' entry for the migration modes.")

(defun alembic-lsp--setup-buffer ()
  "Make Eglot choose alembic-lsp here, then start it (`alembic-lsp-autostart').
Eglot takes the first entry of `eglot-server-programs' whose mode this
buffer's mode is derived from, and the migration modes derive from the
Python modes: an entry for `python-mode' added after this file was
loaded (pylsp, pyright...) would come first.  The buffer-local value
puts alembic-lsp's entry first here, whatever the global order."
  (setq-local eglot-server-programs
              (cons alembic-lsp--server-entry
                    (remove alembic-lsp--server-entry
                            (default-value 'eglot-server-programs))))
  (when alembic-lsp-autostart
    (eglot-ensure)))

;; Emacs 29+: `python-ts-mode' users (`major-mode-remap-alist' mapping
;; `python-mode' to `python-ts-mode', or `python-ts-mode' in `auto-mode-alist')
;; keep tree-sitter highlighting in migrations.
(when (fboundp 'python-ts-mode)
  (define-derived-mode alembic-migration-ts-mode python-ts-mode "Alembic[ts]"
    "Major mode for Alembic migrations: `python-ts-mode' served by alembic-lsp."
    (alembic-lsp--setup-buffer)))

(defun alembic-lsp--python-mode ()
  "The mode a Python file gets here: `python-ts-mode' or `python-mode'.
What `auto-mode-alist' and `major-mode-remap-alist' make of a .py file."
  (let* ((mode (or (assoc-default "x.py" auto-mode-alist #'string-match) 'python-mode))
         (mode (if (consp mode) (car mode) mode)))
    (if (fboundp 'major-mode-remap)     ; Emacs 30
        (major-mode-remap mode)
      (or (alist-get mode (bound-and-true-p major-mode-remap-alist)) mode))))

;;;###autoload
(defun alembic-lsp-migration-mode ()
  "Turn on the migration mode matching the user's Python mode.
`alembic-migration-ts-mode' where Python files get `python-ts-mode' and its
grammar is installed, else `alembic-migration-mode'."
  (interactive)
  (if (and (fboundp 'alembic-migration-ts-mode)
           (provided-mode-derived-p (alembic-lsp--python-mode) 'python-ts-mode)
           (fboundp 'treesit-ready-p)
           (treesit-ready-p 'python t))
      (alembic-migration-ts-mode)
    (alembic-migration-mode)))

;;;; Eglot

(defclass alembic-lsp-server (eglot-lsp-server) ()
  :documentation "An Eglot connection to alembic-lsp.")

(defun alembic-lsp--contact (&optional _interactive)
  "The `eglot-server-programs' contact for alembic-lsp: class, program, arguments."
  (cons 'alembic-lsp-server alembic-lsp-command))

(defun alembic-lsp-project-find (dir)
  "Give Eglot a project for migrations in DIR outside any VC project.
A transient project rooted at the nearest `alembic-lsp-root-markers'
above DIR, only for Eglot's own lookups (`eglot-lsp-context') in
`alembic-migration-mode' buffers."
  (when (and (bound-and-true-p eglot-lsp-context)
             (derived-mode-p 'alembic-migration-mode 'alembic-migration-ts-mode))
    (when-let ((root (alembic-lsp--root dir)))
      (cons 'transient (expand-file-name root)))))

(defun alembic-lsp--edit-targets (edit)
  "The files the WorkspaceEdit EDIT writes: (PATH TEXT-EDITS CREATE) lists."
  (let (targets)
    (cl-loop for change across (or (plist-get edit :documentChanges) [])
             for kind = (plist-get change :kind)
             do (cond
                 ((equal kind "create")
                  (push (list (eglot--uri-to-path (plist-get change :uri)) nil t) targets))
                 ((null kind)
                  (push (list (eglot--uri-to-path
                               (plist-get (plist-get change :textDocument) :uri))
                              (plist-get change :edits)
                              nil)
                        targets))
                 (t (error "alembic-lsp: unsupported change %s" kind))))
    (cl-loop for (uri edits) on (plist-get edit :changes) by #'cddr
             do (push (list (eglot--uri-to-path uri) edits nil) targets))
    (nreverse targets)))

(defun alembic-lsp--new-file-edit-p (edit)
  "Non-nil if EDIT has the shape of alembic-lsp's merge and new migration.
Its first file is new: unvisited, and absent or empty on disk.  Any other
file (the head file of the `head-file' setting) is not in a buffer with
unsaved changes.  Anything else is left to Eglot."
  (let ((targets (ignore-errors (alembic-lsp--edit-targets edit))))
    (and targets
         (let ((path (car (car targets))))
           (and (not (find-buffer-visiting path))
                (or (not (file-exists-p path))
                    (zerop (or (file-attribute-size (file-attributes path)) 1)))))
         (cl-every (lambda (target)
                     (let ((buffer (find-buffer-visiting (car target))))
                       (not (and buffer (buffer-modified-p buffer)))))
                   (cdr targets)))))

(defun alembic-lsp--apply-edit (edit)
  "Apply alembic-lsp's WorkspaceEdit EDIT (a new or merge migration, and the head
file it moves): fill, save, show the migration.  Returns the buffers edited."
  (let ((buffers nil))
    (pcase-dolist (`(,path ,edits ,create) (alembic-lsp--edit-targets edit))
      (when (and create (not (file-exists-p path)))
        (write-region "" nil path nil 'silent nil 'excl))
      (with-current-buffer (find-file-noselect path)
        (when edits (eglot--apply-text-edits edits))
        (when (and alembic-lsp-save-merged (buffer-modified-p))
          (save-buffer))
        (cl-pushnew (current-buffer) buffers)))
    (setq buffers (nreverse buffers))
    (when buffers
      (when alembic-lsp-open-merged
        (pop-to-buffer-same-window (car buffers)))
      (message "alembic-lsp: created %s" (buffer-file-name (car buffers))))
    buffers))

;; alembic-lsp sends workspace/applyEdit to carry out alembic.mergeHeads, for a file it
;; has just reserved on disk: nobody visits it yet, so Eglot's own handler would ask
;; "Server wants to edit ... Proceed?".  The user asked for the merge: apply it, save
;; it and show it.  Other edits (another server behind a multiplexer) go to Eglot.
(cl-defmethod eglot-handle-request
  ((_server alembic-lsp-server) (_method (eql workspace/applyEdit)) &key _label edit
   &allow-other-keys)
  "Apply alembic-lsp's merge edit, save it and show it."
  (if (not (alembic-lsp--new-file-edit-p edit))
      (cl-call-next-method)
    (condition-case err
        (progn (alembic-lsp--apply-edit edit) (list :applied t))
      (error (list :applied :json-false :failureReason (error-message-string err))))))

(defun alembic-lsp--server ()
  "The alembic-lsp server of the current buffer, or an error."
  (let ((server (eglot-current-server)))
    (unless (and server (cl-typep server 'alembic-lsp-server))
      (user-error "alembic-lsp is not running for this buffer (M-x eglot in a migration)"))
    server))

;;;###autoload
(defun alembic-lsp-merge-heads ()
  "Merge the heads of this migration's environment into a new migration.
Asks alembic-lsp for its `source.alembic.mergeHeads' code action and
carries it out: the new file is what `alembic merge heads' would
write, saved and shown."
  (interactive)
  (let* ((server (alembic-lsp--server))
         (position (list :line (1- (line-number-at-pos)) :character 0))
         (actions (jsonrpc-request
                   server :textDocument/codeAction
                   (list :textDocument (eglot--TextDocumentIdentifier)
                         :range (list :start position :end position)
                         :context (list :diagnostics []
                                        :only (vector alembic-lsp--merge-kind)))))
         (action (cl-find-if (lambda (a)
                               (or (equal (plist-get a :kind) alembic-lsp--merge-kind)
                                   (equal (plist-get a :command) alembic-lsp--merge-command)))
                             actions)))
    (unless action
      (user-error "alembic-lsp: nothing to merge here (the environment has a single head)"))
    (let ((edit (plist-get action :edit))
          (command (plist-get action :command)))
      (cond
       (edit (alembic-lsp--apply-edit edit))
       ((stringp command)               ; a bare Command
        (alembic-lsp--execute server command (plist-get action :arguments)))
       (command
        (alembic-lsp--execute server (plist-get command :command)
                              (plist-get command :arguments)))))))

(defun alembic-lsp--execute (server command arguments)
  "Run COMMAND with ARGUMENTS on SERVER.
Show the file if the server wrote it itself."
  (let ((result (jsonrpc-request server :workspace/executeCommand
                                 (list :command command :arguments arguments))))
    ;; With workspace/applyEdit (Eglot always has it) the file is already shown by the
    ;; handler above; without, the server writes the file itself.
    (when (and (equal (plist-get result :appliedBy) "server") (plist-get result :path))
      (when alembic-lsp-open-merged
        (find-file (plist-get result :path)))
      (message "alembic-lsp: created %s" (plist-get result :path)))
    result))

;;;; A new migration

(defconst alembic-lsp--new-migration-command "alembic.newMigration"
  "The server command writing what `alembic revision -m MSG' would.")

(defun alembic-lsp--heads (server)
  "The heads of the current buffer's environment on SERVER: (ID . MESSAGE) pairs."
  (let* ((graph (jsonrpc-request server :alembic/graph
                                 (list :uri (plist-get (eglot--TextDocumentIdentifier) :uri))))
         (env (aref (plist-get graph :environments) 0))
         (messages (make-hash-table :test #'equal))
         heads)
    (cl-loop for r across (plist-get env :revisions)
             do (puthash (plist-get r :id) (plist-get r :message) messages))
    (cl-loop for id across (plist-get env :heads)
             unless (assoc id heads)
             do (push (cons id (or (gethash id messages) "")) heads))
    (nreverse heads)))

(defun alembic-lsp--read-head (server)
  "The head a new migration builds on: asked when SERVER reports several."
  (let ((heads (alembic-lsp--heads server)))
    (if (<= (length heads) 1)
        (caar heads)
      (let* ((choices (mapcar (lambda (h) (cons (format "%s  %s" (car h) (cdr h)) (car h)))
                              heads))
             (picked (completing-read (format "%d heads; new migration on: " (length heads))
                                      choices nil t)))
        (cdr (assoc picked choices))))))

;;;###autoload
(defun alembic-lsp-new-migration (message &optional head)
  "Write a new migration with MESSAGE on HEAD.
The file is what `alembic revision -m MESSAGE' would write.
Interactively, asks for the head when the environment has several, then
for the message.  alembic-lsp renders the project's script.py.mako
\(nothing runs: no env.py, no autogenerate); the new file is saved and
shown."
  (interactive
   (let ((head (alembic-lsp--read-head (alembic-lsp--server))))
     (list (read-string (if head (format "Message of the new migration on %s: " head)
                          "Message of the new migration: "))
           head)))
  (let ((server (alembic-lsp--server))
        (argument (list :uri (plist-get (eglot--TextDocumentIdentifier) :uri)
                        :message message)))
    (when head (setq argument (plist-put argument :head head)))
    (alembic-lsp--execute server alembic-lsp--new-migration-command (vector argument))))

;;;; Running the project's Alembic

(defvar alembic-lsp-last-run nil
  "The last Alembic run.
A plist (:argv ARGV :directory DIR :buffer BUFFER :process PROCESS).")

(defun alembic-lsp-run-status (run)
  "The exit code of RUN (see `alembic-lsp-last-run'), nil while it runs."
  (let ((process (plist-get run :process)))
    (and process (not (process-live-p process)) (process-exit-status process))))

(defun alembic-lsp-alembic-argv (action revision section)
  "The Alembic argument list for ACTION on REVISION.
`alembic-lsp-alembic-command', then `-n SECTION' when SECTION is an
alembic.ini section other than [alembic], then ACTION and REVISION."
  (append (or (split-string-and-unquote alembic-lsp-alembic-command) (list "alembic"))
          (when (and (stringp section) (not (member section '("" "alembic"))))
            (list "-n" section))
          (list action)
          (unless (equal action "current") (list revision))))

(defun alembic-lsp--locate (wanted)
  "The environment and revision to act on: (ENV . REVISION), from the graph.
REVISION is the one with id WANTED when the environment has it, else the
migration visited in this buffer."
  (let ((server (alembic-lsp--server))
        (file (and buffer-file-name (file-truename buffer-file-name)))
        (deadline (+ (float-time) 10))
        found)
    ;; A server just started may still be indexing: ask again for a few seconds.
    (while (let ((result (jsonrpc-request server :alembic/graph
                                          (list :uri (eglot--path-to-uri buffer-file-name)))))
             (setq found
                   (cl-loop for env across (plist-get result :environments)
                            for revisions = (append (plist-get env :revisions) nil)
                            for own = (cl-find-if (lambda (r) (and file (equal (plist-get r :path) file)))
                                                  revisions)
                            for named = (and wanted (cl-find wanted revisions
                                                             :key (lambda (r) (plist-get r :id))
                                                             :test #'equal))
                            when (or own named) return (cons env (or named own))))
             (and (not found) (eq (plist-get result :indexed) :json-false)
                  (< (float-time) deadline)))
      (accept-process-output nil 0.2))
    found))

(defun alembic-lsp--revision-at-point ()
  "The word at point when it looks like a revision id."
  (let ((word (thing-at-point 'symbol t)))
    (and word (string-match-p "\\`[[:alnum:]_]+\\'" word) word)))

(defun alembic-lsp--run (argv directory)
  "Run ARGV in DIRECTORY in the *alembic* buffer, shown, and return that buffer."
  (let* ((default-directory (file-name-as-directory directory))
         (buffer (get-buffer-create "*alembic*"))
         (run (list :argv argv :directory default-directory :buffer buffer :process nil)))
    (when-let ((old (get-buffer-process buffer)))
      (delete-process old))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (format "%s$ %s\n" (abbreviate-file-name default-directory)
                        (mapconcat #'shell-quote-argument argv " "))))
      (setq default-directory (plist-get run :directory))
      (special-mode))
    (setq alembic-lsp-last-run run)
    (plist-put
     run :process
     (make-process
      :name "alembic" :buffer buffer :command argv :connection-type 'pipe
      :filter (lambda (process text)
                (when (buffer-live-p (process-buffer process))
                  (with-current-buffer (process-buffer process)
                    (let ((inhibit-read-only t))
                      (save-excursion (goto-char (point-max)) (insert text))))))
      :sentinel (lambda (process _event)
                  (when (and (not (process-live-p process)) (buffer-live-p buffer))
                    (with-current-buffer buffer
                      (let ((inhibit-read-only t))
                        (goto-char (point-max))
                        (insert (format "\nalembic exited with %d\n"
                                        (process-exit-status process)))))))))
    (display-buffer buffer)
    buffer))

(defun alembic-lsp-run-alembic (action &optional revision)
  "Run the project's Alembic ACTION (\"upgrade\", \"downgrade\", \"stamp\", \"current\").
It acts on REVISION, else on the revision id at point, else on the
migration in this buffer; in the directory of the environment's
alembic.ini, with `-n SECTION' for an ini section other than
[alembic]; a downgrade asks first."
  (let* ((wanted (or revision (alembic-lsp--revision-at-point)))
         (found (alembic-lsp--locate wanted))
         (env (car found))
         (target (cdr found))
         (id (plist-get target :id)))
    (unless env
      (user-error "alembic-lsp: no revision here (visit a migration of an Alembic environment)"))
    (when (and revision (not (equal id revision)))
      (user-error "alembic-lsp: no revision %s in %s" revision (plist-get env :name)))
    (when (or (not (equal action "downgrade"))
              (yes-or-no-p (format "Downgrade the database of %s to %s? Every migration after it is undone. "
                                   (plist-get env :name) id)))
      (alembic-lsp--run (alembic-lsp-alembic-argv action id (plist-get env :section))
                        (let ((config (plist-get env :config)))
                          (if (stringp config)
                              (file-name-directory config)
                            (project-root (eglot--project (alembic-lsp--server)))))))))

(defun alembic-lsp--read-revision ()
  "With a prefix argument, read a revision id; otherwise nil."
  (when current-prefix-arg
    (list (read-string "Revision: " (alembic-lsp--revision-at-point)))))

;;;###autoload
(defun alembic-lsp-upgrade (&optional revision)
  "Run `alembic upgrade' to the revision here.
With a prefix argument, read the REVISION."
  (interactive (alembic-lsp--read-revision))
  (alembic-lsp-run-alembic "upgrade" revision))

;;;###autoload
(defun alembic-lsp-downgrade (&optional revision)
  "Run `alembic downgrade' to the revision here, after asking.
With a prefix argument, read the REVISION."
  (interactive (alembic-lsp--read-revision))
  (alembic-lsp-run-alembic "downgrade" revision))

;;;###autoload
(defun alembic-lsp-stamp (&optional revision)
  "Run `alembic stamp' with the revision here: set it without running it.
With a prefix argument, read the REVISION."
  (interactive (alembic-lsp--read-revision))
  (alembic-lsp-run-alembic "stamp" revision))

;;;###autoload
(defun alembic-lsp-current ()
  "Run `alembic current' for the environment of this migration."
  (interactive)
  (alembic-lsp-run-alembic "current"))

;;;; The migrations listing (alembic-lsp-migrations.el, loaded when first used)

(autoload 'alembic-lsp-migrations "alembic-lsp-migrations"
  "List the heads and the history of every environment in *alembic migrations*." t)

;;;; Registration (on load)

(add-to-list 'magic-mode-alist '(alembic-lsp--magic-mode-p . alembic-lsp-migration-mode))
(add-to-list 'eglot-server-programs alembic-lsp--server-entry)
(add-hook 'project-find-functions #'alembic-lsp-project-find 90)

(provide 'alembic-lsp)
;;; alembic-lsp.el ends here
