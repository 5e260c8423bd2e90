;;; emacs_support.el --- what the Emacs editor tests share  -*- lexical-binding: t; -*-

;; (load (expand-file-name "tests/editors/emacs_support.el" SOURCE-DIR) nil t)
;; One line per check on stdout, bounded waits, visiting files as the command loop would.

;;; Code:

(require 'cl-lib)
(require 'subr-x)

(defconst alembic-test-timeout (string-to-number (or (getenv "ALEMBIC_TEST_TIMEOUT") "60")) "Seconds any single wait may take.")

(define-error 'alembic-test-failure "check failed")

(defvar alembic-test-binary (or (getenv "ALEMBIC_LSP_BINARY") ""))
(defvar alembic-test-tmp nil "The temporary directory of the test, removed at the end.")

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
