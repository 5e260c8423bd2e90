;;; eglot-server-programs.el --- alembic-lsp's entry for Eglot's `eglot-server-programs'  -*- lexical-binding: t; -*-

;; The entry, as it would stand in the default value of `eglot-server-programs' in
;; lisp/progmodes/eglot.el.  The modes are alembic-lsp.el's (editors/emacs): Eglot picks a
;; server by major mode, and a migration needs a mode of its own so that `python-mode'
;; buffers keep the user's Python server.  Evaluating this file adds the entry (what
;; alembic-lsp.el does on load, with `alembic-lsp-command' instead of the fixed program).

;;; Code:

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '(((alembic-migration-mode :language-id "python")
                  (alembic-migration-ts-mode :language-id "python"))
                 . ("alembic-lsp"))))

;;; eglot-server-programs.el ends here
