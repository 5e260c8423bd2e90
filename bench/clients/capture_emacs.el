;;; capture_emacs.el --- started by capture.sh  -*- lexical-binding: t; -*-
;; Emacs with Eglot and editors/emacs/alembic-lsp.el, a migration visited; the server
;; command is record_initialize.py in front of the real server.  Exits 0 once Eglot has
;; a connection and the params are saved, 1 after 60 s.
(require 'eglot)
(add-to-list 'load-path (expand-file-name "editors/emacs" (getenv "ALEMBIC_SOURCE_DIR")))
(require 'alembic-lsp)
(setq alembic-lsp-command
      (list "python3" (getenv "CAPTURE_WRAPPER") (getenv "CAPTURE_OUT") "--"
            (getenv "ALEMBIC_LSP_BINARY") "serve"))
(find-file (getenv "CAPTURE_FILE"))
(run-hooks 'post-command-hook)            ; eglot-ensure defers to the command loop
(run-window-configuration-change-hook)
(let ((deadline (+ (float-time) 60)))
  (while (and (not (and (eglot-current-server) (file-exists-p (getenv "CAPTURE_OUT"))))
              (< (float-time) deadline))
    (accept-process-output nil 0.05))
  (unless (and (eglot-current-server) (file-exists-p (getenv "CAPTURE_OUT")))
    (princ "capture_emacs: no Eglot connection after 60 s\n")
    (kill-emacs 1))
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (kill-emacs 0))
