;;; emacs_alembic_test.el --- alembic-lsp.el's Alembic commands and recovery in real Emacs  -*- lexical-binding: t; -*-

;; ALEMBIC_LSP_BINARY=build/server/alembic-lsp emacs --batch -l tests/editors/emacs_alembic_test.el
;;
;; On a real Alembic project on SQLite made by Debian's `alembic' (tests/editors/
;; alembic-project.sh): `alembic-lsp-upgrade', `alembic-lsp-downgrade' (after the
;; confirmation), `alembic-lsp-stamp' and `alembic-lsp-current' run Alembic in the
;; *alembic* buffer, each checked in the database's alembic_version; `-n reports' for the
;; second section of a two-section alembic.ini; then kill -9 of the server: Eglot starts
;; another, the diagnostics come back, none twice.  The confirmation (`yes-or-no-p') is
;; answered by a function standing in for the user's keypress: batch Emacs reads the
;; minibuffer from stdin, which is closed.
;;
;; Eglot's file watching for the server (workspace/didChangeWatchedFiles) is declined
;; here: in batch Emacs, which has no command loop to read file-notify events, a pending
;; one (Alembic writing shop.db) keeps accept-process-output from running any process
;; sentinel, so neither an ended Alembic run nor the killed server would ever be noticed.
;; Interactive Emacs reads those events; the server then watches the files itself.

;;; Code:

(load (expand-file-name "emacs_support.el" (file-name-directory (or load-file-name buffer-file-name)))
      nil t)
(defvar alembic-test-started nil "When the first server was running (`float-time').")

(defun alembic-test-revision (name)
  (or (assoc name alembic-test-revisions) (alembic-test-fail "no revision %s" name)))

(defun alembic-test-db (name)
  "The alembic_version rows of database NAME in the project."
  (string-trim
   (with-output-to-string
     (call-process "python3" nil standard-output nil
                   (expand-file-name "tests/editors/alembic_version.py" alembic-test-source-dir)
                   (expand-file-name name alembic-test-project)))))

(defun alembic-test-open (name)
  "Visit the migration of revision NAME and wait for Eglot."
  (alembic-test-visit (nth 2 (alembic-test-revision name)))
  (alembic-test-managed)
  (current-buffer))

(defun alembic-test-alembic (what thunk)
  "Call THUNK, which runs Alembic; wait for it to end; check it exited 0."
  (let ((before alembic-lsp-last-run))
    (funcall thunk)
    (condition-case err
        (alembic-test-wait (format "%s to run Alembic" what)
                           (lambda () (and (not (eq alembic-lsp-last-run before))
                                           (alembic-lsp-run-status alembic-lsp-last-run))))
      (alembic-test-failure
       (alembic-test-fail "%s; *alembic* holds: %s" (cadr err)
                          (let ((b (get-buffer "*alembic*"))) (and b (with-current-buffer b (buffer-string)))))))
    (let ((run alembic-lsp-last-run))
      (alembic-test-check (eql (alembic-lsp-run-status run) 0) "%s: `%s' exited 0 in %s (got %s)"
                          what (string-join (plist-get run :argv) " ") (plist-get run :directory)
                          (alembic-lsp-run-status run))
      run)))

(defun alembic-test-commands ()
  (let* ((first (alembic-test-revision "first"))
         (second (alembic-test-revision "second"))
         (report (alembic-test-revision "report"))
         (first-id (nth 1 first))
         (second-id (nth 1 second))
         run)
    (alembic-test-open "first")
    (setq alembic-test-started (float-time))
    (setq run (alembic-test-alembic "alembic-lsp-upgrade" #'alembic-lsp-upgrade))
    (alembic-test-check (file-equal-p (plist-get run :directory) alembic-test-project)
                        "Alembic runs in the directory of alembic.ini")
    (alembic-test-check (equal (plist-get run :argv) (list "alembic" "upgrade" first-id))
                        "no -n for [alembic]: %S" (plist-get run :argv))
    (alembic-test-check (get-buffer-window (plist-get run :buffer))
                        "the *alembic* buffer is shown in a window")
    (alembic-test-check (equal (alembic-test-db "shop.db") first-id)
                        "upgrade on the first migration: alembic_version = %s" first-id)
    (alembic-test-open "second")
    (alembic-test-alembic "alembic-lsp-upgrade" #'alembic-lsp-upgrade)
    (alembic-test-check (equal (alembic-test-db "shop.db") second-id)
                        "upgrade on the second: alembic_version = %s" second-id)

    ;; Downgrade asks: "no" runs nothing, "yes" runs it.
    (alembic-test-open "first")
    (let* ((asked nil)
           (answer nil)
           (before alembic-lsp-last-run))
      (cl-letf (((symbol-function 'yes-or-no-p) (lambda (prompt) (setq asked prompt) answer)))
        (alembic-lsp-downgrade)
        (alembic-test-check (and asked (string-search first-id asked))
                            "the confirmation names the revision: %s" asked)
        (alembic-test-check (and (eq alembic-lsp-last-run before)
                                 (equal (alembic-test-db "shop.db") second-id))
                            "answered no: nothing ran, still at %s" second-id)
        (setq answer t)
        (alembic-test-alembic "alembic-lsp-downgrade" #'alembic-lsp-downgrade)))
    (alembic-test-check (equal (alembic-test-db "shop.db") first-id)
                        "downgrade after yes: alembic_version = %s" first-id)

    ;; The revision at point: the down_revision id in the second migration.
    (alembic-test-open "second")
    (goto-char (point-min))
    (alembic-test-check (re-search-forward (concat "^down_revision.*'\\(" first-id "\\)'") nil t)
                        "down_revision names %s" first-id)
    (goto-char (+ 2 (match-beginning 1)))
    (setq run (alembic-test-alembic "alembic-lsp-stamp" #'alembic-lsp-stamp))
    (alembic-test-check (equal (car (last (plist-get run :argv))) first-id)
                        "with point on an id, stamp takes that revision")
    (goto-char (point-min))
    (alembic-test-alembic "alembic-lsp-stamp" #'alembic-lsp-stamp)
    (alembic-test-check (equal (alembic-test-db "shop.db") second-id)
                        "stamp with the migration of the buffer: alembic_version = %s" second-id)
    (setq run (alembic-test-alembic "alembic-lsp-current" #'alembic-lsp-current))
    (with-current-buffer (plist-get run :buffer)
      (alembic-test-wait (format "\"%s (head)\" in *alembic*" second-id)
                         (lambda () (string-search (concat second-id " (head)") (buffer-string))))
      (alembic-test-check t "alembic-lsp-current shows \"%s (head)\" in *alembic*" second-id))
    ;; The migrations listing marks what `alembic current' printed (issue 21 part 2).
    (let* ((lines (with-current-buffer (alembic-lsp-migrations)
                    (split-string (buffer-string) "\n" t)))
           (marked (delq nil (mapcar (lambda (l)
                                       (and (string-match ": history migrations: \\([^ ]+\\) \\[current" l)
                                            (match-string 1 l)))
                                     lines))))
      (alembic-test-check (equal marked (list second-id))
                          "alembic-lsp-migrations marks %s current (marked: %s)" second-id marked))

    ;; The [reports] section: Alembic reaches it only with -n reports.
    (alembic-test-open "report")
    (setq run (alembic-test-alembic "alembic-lsp-upgrade" #'alembic-lsp-upgrade))
    (alembic-test-check (equal (plist-get run :argv) (list "alembic" "-n" "reports" "upgrade" (nth 1 report)))
                        "the second ini section gets -n reports: %S" (plist-get run :argv))
    (alembic-test-check (and (equal (alembic-test-db "reports.db") (nth 1 report))
                             (equal (alembic-test-db "shop.db") second-id))
                        "reports.db is at %s, shop.db untouched" (nth 1 report))))

(defun alembic-test-recovery ()
  ;; A copy of the second migration under another name: both declare its id.
  (let ((copy (expand-file-name "migrations/versions/copy_of_second.py" alembic-test-project)))
    (copy-file (nth 2 (alembic-test-revision "second")) copy)
    (alembic-test-visit copy)
    (let* ((old (alembic-test-managed))
           (pid (process-id (jsonrpc--process old)))
           (buffer (current-buffer))
           (started alembic-test-started))
      (alembic-test-wait "duplicate-revision on the copy"
                         (lambda () (alembic-test-findings "duplicate-revision")))
      (let* ((before (alembic-test-findings "duplicate-revision"))
             (expected (length before)))
        ;; Eglot reconnects only a server that lived `eglot-autoreconnect' seconds.
        (alembic-test-wait "the server to have lived 3 s"
                           (lambda () (> (- (float-time) started) (1+ eglot-autoreconnect))))
        (signal-process pid 'SIGKILL)
        (alembic-test-wait "Eglot to start another server"
                           (lambda () (with-current-buffer buffer
                                        (let ((s (eglot-current-server)))
                                          (and s (not (eq s old)) (eglot-managed-p))))))
        (with-current-buffer buffer
          (let ((new (eglot-current-server)))
            (alembic-test-check (/= (process-id (jsonrpc--process new)) pid)
                                "after kill -9 a new server runs (process %d)"
                                (process-id (jsonrpc--process new))))
          (alembic-test-wait "the diagnostics of the new server (new Flymake diagnostics)"
                             (lambda () (let ((now (alembic-test-findings "duplicate-revision")))
                                          (and now (cl-notany (lambda (d) (memq d before)) now)))))
          (alembic-test-check (= (length (alembic-test-findings "duplicate-revision")) expected)
                              "duplicate-revision shown %d time(s), as before the kill" expected))
        (with-current-buffer (find-buffer-visiting (nth 2 (alembic-test-revision "first")))
          (alembic-test-check (and (eglot-managed-p) (not (eq (eglot-current-server) old)))
                              "the other open migration is managed by the new server too"))))))

(defun alembic-test-main ()
  (alembic-test-start)
  (alembic-test-decline-file-watching)
  (alembic-test-make-project "alembic-lsp-emacs-run-")
  (alembic-test-check (= (length alembic-test-revisions) 3) "three revisions made: %S" alembic-test-revisions)
  (alembic-test-commands)
  (alembic-test-recovery))

(alembic-test-run "emacs Alembic commands and recovery" #'alembic-test-main)

;;; emacs_alembic_test.el ends here
