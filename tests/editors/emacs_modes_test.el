;;; emacs_modes_test.el --- which server and which highlighting a migration gets  -*- lexical-binding: t; -*-

;; ALEMBIC_LSP_BINARY=build/server/alembic-lsp sh tests/editors/run-emacs.sh tests/editors/emacs_modes_test.el
;;
;; Eglot picks a buffer's server by the first `eglot-server-programs' entry whose mode the
;; buffer's mode derives from, and the migration modes derive from the Python modes.  As
;; a user would, this test adds its own Python server entries *after* loading
;; alembic-lsp.el (so they come first in the list): pylsp for `python-mode', pyright for
;; `python-ts-mode'.  Migrations must still get alembic-lsp (the real server, started),
;; application code the user's server (Eglot's choice is read with
;; `eglot--guess-contact'; pylsp and pyright need not exist, nothing starts them).
;; With Emacs 29+ and `major-mode-remap-alist' sending `python-mode' to `python-ts-mode'
;; (the Python grammar installed, see tests/editors/trixie/run-in-root.sh), migrations get
;; `alembic-migration-ts-mode' with tree-sitter highlighting.  Emacs 28 has no
;; `python-ts-mode': that half says so and checks that nothing changed for it.  Last, the
;; entry proposed for Eglot's own list (editors/upstream/eglot/) is looked up alone.

;;; Code:

(load (expand-file-name "emacs_support.el" (file-name-directory (or load-file-name buffer-file-name)))
      nil t)
(defvar alembic-test-root nil)
(defvar alembic-test-versions nil)

(defun alembic-test-contact ()
  "Eglot's choice for this buffer: (CLASS . CONTACT), nothing started."
  (let ((guess (eglot--guess-contact)))
    (cons (nth 2 guess) (nth 3 guess))))

(defun alembic-test-face-at (regexp)
  "The face of the first match of REGEXP's group 1, after fontifying the buffer."
  (font-lock-ensure)
  (save-excursion
    (goto-char (point-min))
    (and (re-search-forward regexp nil t)
         (get-text-property (match-beginning 1) 'face))))

(defun alembic-test-has-face (face regexp)
  (let ((got (alembic-test-face-at regexp)))
    (if (listp got) (memq face got) (eq got face))))

(defun alembic-test-migration (file mode code)
  "Visit migration FILE: in MODE, served by the real alembic-lsp, its finding CODE shown."
  (with-current-buffer (alembic-test-visit (expand-file-name file alembic-test-versions))
    (alembic-test-check (eq major-mode mode) "%s opens in %s (got %s)" file mode major-mode)
    (alembic-test-check (eq (car (alembic-test-contact)) 'alembic-lsp-server)
                        "Eglot's choice for %s is alembic-lsp, not the user's Python server (%S)"
                        file (alembic-test-contact))
    (alembic-test-check (object-of-class-p (alembic-test-managed) 'alembic-lsp-server)
                        "the running server for %s is alembic-lsp" file)
    (alembic-test-wait-finding code file)
    (alembic-test-check t "alembic-lsp's %s shown in %s" code file)
    (current-buffer)))

(defun alembic-test-application (mode contact)
  "app/models.py opens in MODE and Eglot would give it the user's CONTACT."
  (let ((models (expand-file-name "app/models.py" alembic-test-root)))
    (make-directory (file-name-directory models) t)
    (unless (file-exists-p models)
      (with-temp-file models (insert "import sqlalchemy as sa\n\ndef tables():\n    return 'users'\n")))
    (when (get-file-buffer models) (kill-buffer (get-file-buffer models)))
    (with-current-buffer (alembic-test-visit models)
      (alembic-test-check (eq major-mode mode) "app/models.py opens in %s (got %s)" mode major-mode)
      (alembic-test-check (equal (cdr (alembic-test-contact)) contact)
                          "Eglot's choice for app/models.py is the user's %S (got %S)"
                          contact (alembic-test-contact))
      (alembic-test-check (null (eglot-current-server)) "no server runs for app/models.py"))))

(defun alembic-test-main ()
  (alembic-test-start)
  (setq eglot-autoreconnect nil)
  ;; The user's own Python servers, configured after alembic-lsp.el was loaded.
  (add-to-list 'eglot-server-programs '(python-mode . ("pylsp")))
  (add-to-list 'eglot-server-programs '(python-ts-mode . ("pyright-langserver" "--stdio")))
  (alembic-test-check (equal (car (nth 1 eglot-server-programs)) 'python-mode)
                      "the user's python-mode entry comes before alembic-lsp's in eglot-server-programs")
  (setq alembic-test-tmp (make-temp-file "alembic-lsp-emacs-" t)
        alembic-test-root (alembic-test-copy-example "tangled")
        alembic-test-versions (expand-file-name "migrations/versions" alembic-test-root))

  (alembic-test-say "# python-mode")
  (with-current-buffer (alembic-test-migration "b9d1f3a5c7e0_add_refund_status.py"
                                               'alembic-migration-mode "duplicate-revision")
    (alembic-test-check (alembic-test-has-face 'font-lock-keyword-face "^\\(def\\) upgrade")
                        "python-mode's highlighting in alembic-migration-mode (def is a keyword)"))
  (alembic-test-application 'python-mode '("pylsp"))

  (if (not (fboundp 'python-ts-mode))
      (progn
        (alembic-test-say "# Emacs %s has no python-ts-mode (Emacs 29+): the tree-sitter half runs with Emacs 30 in the trixie root"
                          emacs-major-version)
        (alembic-test-check (not (fboundp 'alembic-migration-ts-mode))
                            "no alembic-migration-ts-mode without python-ts-mode"))
    (alembic-test-say "# python-ts-mode (major-mode-remap-alist)")
    (setq major-mode-remap-alist '((python-mode . python-ts-mode)))
    (alembic-test-check (treesit-ready-p 'python t)
                        "the Python tree-sitter grammar is installed (%S)" treesit-extra-load-path)
    (with-current-buffer (alembic-test-migration "5e8f0a2b4c6d_add_order_discounts.py"
                                                 'alembic-migration-ts-mode "missing-revision")
      (alembic-test-check (derived-mode-p 'python-ts-mode) "alembic-migration-ts-mode derives from python-ts-mode")
      (alembic-test-check (treesit-parser-list) "the buffer has a tree-sitter parser")
      (alembic-test-check (alembic-test-has-face 'font-lock-keyword-face "^\\(def\\) upgrade")
                          "tree-sitter highlighting: def is a keyword")
      (alembic-test-check (alembic-test-has-face 'font-lock-string-face "^revision = \\('\\)")
                          "tree-sitter highlighting: the revision id is a string")
      (alembic-test-check (eq (eglot-current-server)
                              (with-current-buffer (get-file-buffer
                                                    (expand-file-name "b9d1f3a5c7e0_add_refund_status.py"
                                                                      alembic-test-versions))
                                (eglot-current-server)))
                          "one alembic-lsp serves both migration modes of the project"))
    (alembic-test-application 'python-ts-mode '("pyright-langserver" "--stdio"))))

(defun alembic-test-upstream-entry ()
  "editors/upstream/eglot/eglot-server-programs.el: the entry proposed for Eglot."
  (let ((file (expand-file-name "editors/upstream/eglot/eglot-server-programs.el"
                                alembic-test-source-dir))
        (eglot-server-programs nil))
    (load file nil t)
    (let ((entry (car eglot-server-programs)))
      (alembic-test-check (and (= (length eglot-server-programs) 1)
                               (equal (car entry) (car alembic-lsp--server-entry))
                               (equal (cdr entry) '("alembic-lsp")))
                          "the upstream eglot entry: alembic-lsp.el's modes, program alembic-lsp: %S" entry)
      (dolist (mode '(alembic-migration-mode alembic-migration-ts-mode))
        (let ((found (eglot--lookup-mode mode)))
          (alembic-test-check (and found (member '("alembic-lsp") (list (car (last found)) (cdr found))))
                              "Eglot's lookup with only the upstream entry: %s -> alembic-lsp (%S)"
                              mode found))))))

(alembic-test-run "emacs modes test"
                  (lambda () (alembic-test-main) (alembic-test-upstream-entry)))

;;; emacs_modes_test.el ends here
