;;; emacs_support.el --- what the Emacs editor tests share  -*- lexical-binding: t; -*-

;; (load (expand-file-name "emacs_support.el" (file-name-directory (or load-file-name buffer-file-name))) nil t)
;; One line per check on stdout, bounded waits, visiting files as the command loop would;
;; the start every test makes (`alembic-test-start'), the private copy of an example
;; (`alembic-test-copy-example') and the real Alembic project (`alembic-test-make-project').

;;; Code:

(require 'cl-lib)
(require 'subr-x)

(defconst alembic-test-timeout (string-to-number (or (getenv "ALEMBIC_TEST_TIMEOUT") "60")) "Seconds any single wait may take.")

(define-error 'alembic-test-failure "check failed")

(defvar alembic-test-binary (or (getenv "ALEMBIC_LSP_BINARY") ""))
(defvar alembic-test-source-dir
  (or (getenv "ALEMBIC_SOURCE_DIR")
      (expand-file-name "../.." (file-name-directory (or load-file-name buffer-file-name))))
  "The source tree: editors/emacs, examples/ and tests/editors are read from it.")
(defvar alembic-test-tmp nil "The temporary directory of the test, removed at the end.")
(defvar alembic-test-project nil "The Alembic project's directory (`alembic-test-make-project').")
(defvar alembic-test-revisions nil "(NAME ID FILE) of each revision `alembic-test-make-project' made.")

(defun alembic-test-say (format-string &rest args)
  (princ (concat (apply #'format format-string args) "\n")))

(defun alembic-test-fail (format-string &rest args)
  (signal 'alembic-test-failure (list (apply #'format format-string args))))

(defun alembic-test-check (condition format-string &rest args)
  (let ((what (apply #'format format-string args)))
    (unless condition (alembic-test-fail "%s" what))
    (alembic-test-say "ok - %s" what)))

(defun alembic-test-wait (what predicate)
  "Process events until PREDICATE holds, at most `alembic-test-timeout' seconds."
  (let ((deadline (+ (float-time) alembic-test-timeout)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or (funcall predicate)
        (alembic-test-fail "timed out after %d s waiting for %s" alembic-test-timeout what))))

(defun alembic-test-visit (file)
  "Visit FILE in the selected window and let Eglot connect, as the command loop would."
  (find-file file)
  ;; `eglot-ensure' defers to post-command-hook, and Flymake waits for the buffer to be
  ;; displayed (window-configuration-change-hook): batch mode has no command loop and
  ;; no redisplay, so run both as they would run.
  (run-hooks 'post-command-hook)
  (run-window-configuration-change-hook)
  (current-buffer))

(defun alembic-test-findings (code)
  "This buffer's Flymake diagnostics from alembic-lsp with CODE."
  (cl-remove-if-not
   (lambda (d)
     (equal code (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)))
   (flymake-diagnostics)))

(defun alembic-test-wait-finding (code file)
  (alembic-test-wait (format "%s on %s" code file)
                     (lambda () (alembic-test-findings code)))
  (car (alembic-test-findings code)))

(defun alembic-test-line (diagnostic)
  (save-excursion (line-number-at-pos (flymake-diagnostic-beg diagnostic))))

(defun alembic-test-managed ()
  "The current buffer's alembic-lsp server once Eglot manages the buffer."
  (alembic-test-wait (format "Eglot to manage %s" (buffer-name))
                     (lambda () (and (eglot-managed-p) (eglot-current-server))))
  (eglot-current-server))

;; `alembic-test-findings' reads Eglot's diagnostic data.
(declare-function flymake-diagnostic-data "flymake")

(defun alembic-test-start ()
  "Check the server binary, load editors/emacs/alembic-lsp.el and point it at the binary.
Eglot connects synchronously, within `alembic-test-timeout'."
  (alembic-test-say "# GNU Emacs %s, %s" emacs-version (locate-library "eglot"))
  (alembic-test-check (and (not (string-empty-p alembic-test-binary))
                           (file-executable-p alembic-test-binary))
                      "ALEMBIC_LSP_BINARY is an executable: %s" alembic-test-binary)
  (add-to-list 'load-path (expand-file-name "editors/emacs" alembic-test-source-dir))
  (require 'alembic-lsp)
  (setq alembic-lsp-command (list alembic-test-binary)
        eglot-sync-connect alembic-test-timeout))

(defun alembic-test-decline-file-watching ()
  "Decline alembic-lsp's file watch registrations (workspace/didChangeWatchedFiles).
In batch Emacs, which has no command loop to read file-notify events, a pending
one (Alembic writing a database) keeps `accept-process-output' from running any
process sentinel.  Interactive Emacs reads those events."
  (cl-defmethod eglot-register-capability
    ((_server alembic-lsp-server) (_method (eql workspace/didChangeWatchedFiles)) _id &rest _)
    (list nil "file watching declined in batch Emacs")))

(defun alembic-test-copy-example (name)
  "A private copy of examples/NAME in `alembic-test-tmp'; its true name, as a directory."
  (let ((dest (expand-file-name name alembic-test-tmp)))
    (copy-directory (expand-file-name (concat "examples/" name) alembic-test-source-dir) dest nil t)
    (alembic-test-check (file-directory-p dest) "copied examples/%s" name)
    (file-name-as-directory (file-truename dest))))

(defun alembic-test-make-project (prefix)
  "A real Alembic project (tests/editors/alembic-project.sh) in a new temporary directory.
The directory's name starts with PREFIX; sets `alembic-test-tmp',
`alembic-test-project' and `alembic-test-revisions'."
  (setq alembic-test-tmp (file-truename (make-temp-file prefix t))
        alembic-test-project (expand-file-name "shop" alembic-test-tmp))
  (with-temp-buffer
    (alembic-test-check
     (eql 0 (call-process "sh" nil t nil
                          (expand-file-name "tests/editors/alembic-project.sh" alembic-test-source-dir)
                          alembic-test-project))
     "made an Alembic project with alembic init / revision: %s" (buffer-string))
    (setq alembic-test-revisions (mapcar #'split-string (split-string (buffer-string) "\n" t)))))

(defun alembic-test-run (name main)
  "Run MAIN, shut every Eglot server down, remove `alembic-test-tmp', exit.
Exit status 0 when every check passed, 1 otherwise."
  (let ((status 0))
    (condition-case err
        (progn (funcall main)
               (alembic-test-say "PASS: %s" name))
      (alembic-test-failure
       (setq status 1)
       (alembic-test-say "FAIL: %s" (cadr err)))
      (error
       (setq status 1)
       (alembic-test-say "FAIL: %s" (error-message-string err))))
    (dolist (server (ignore-errors (hash-table-values eglot--servers-by-project)))
      (dolist (s server)
        (ignore-errors (eglot-shutdown s nil 5))))
    (dolist (buffer (buffer-list))
      (with-current-buffer buffer (set-buffer-modified-p nil)))
    (when alembic-test-tmp
      (delete-directory alembic-test-tmp t))
    (kill-emacs status)))

(provide 'emacs_support)
;;; emacs_support.el ends here
