;;; emacs_migrations_test.el --- `alembic-lsp-migrations' in real Emacs  -*- lexical-binding: t; -*-

;; ALEMBIC_LSP_BINARY=build/server/alembic-lsp emacs --batch -l tests/editors/emacs_migrations_test.el
;;
;; On private copies of examples/clean and examples/tangled, with Eglot and the real
;; server: the *alembic migrations* buffer lists each environment, its heads and its
;; history from the base to the heads with merge and branch points marked and each
;; revision's problems; RET on a line visits the migration at `revision = ...'; a filter
;; keeps the revisions whose id or message holds every word.  (The `current' marker after
;; `alembic-lsp-current' is checked with real Alembic in emacs_alembic_test.el.)

;;; Code:

(load (expand-file-name "emacs_support.el" (file-name-directory (or load-file-name buffer-file-name)))
      nil t)

(defun alembic-test-listing (&optional filter)
  "Run `alembic-lsp-migrations' with FILTER until the server has indexed; the lines."
  (let (lines)
    (alembic-test-wait "the migrations listing"
                       (lambda ()
                         (with-current-buffer (alembic-lsp-migrations filter)
                           (setq lines (split-string (buffer-string) "\n" t))
                           (> (length lines) 2))))
    lines))

(defun alembic-test-lines (lines regexp)
  (cl-remove-if-not (lambda (l) (string-match-p regexp l)) lines))

(defun alembic-test-position (lines regexp)
  (cl-position-if (lambda (l) (string-match-p regexp l)) lines))

(defun alembic-test-clean (root)
  (alembic-test-say "# examples/clean")
  (alembic-test-visit (expand-file-name "migrations/versions/8c41d2e9b7a0_create_products_table.py" root))
  (alembic-test-managed)
  (let* ((lines (alembic-test-listing))
         (base (alembic-test-position lines ": history migrations: 3f2b9c1d7a4e \\[base\\]"))
         (branch (alembic-test-position lines ": history migrations: b5e07a3c9f12 \\[branch point\\]"))
         (merge (alembic-test-position lines ": history migrations: 47a0e5d3b9c6 \\[merge point\\]"))
         (head (alembic-test-position lines ": history migrations: c19f6b2a8e3d \\[head\\]")))
    (alembic-test-check (equal (nth 1 lines) "== migrations: 1 head, 7 revisions")
                        "the environment first: %s" (nth 1 lines))
    (alembic-test-check (string-match-p "\\`migrations/versions/c19f6b2a8e3d_create_shipping_addresses.py:13: heads   migrations: c19f6b2a8e3d \\[head\\] -- create shipping addresses\\'"
                                        (nth 2 lines))
                        "then its head, FILE:LINE first: %s" (nth 2 lines))
    (alembic-test-check (= (length (alembic-test-lines lines ": history ")) 7)
                        "then the 7 revisions of its history")
    (alembic-test-check (and base branch merge head (< base branch merge head))
                        "history from the base to the head, branch and merge points marked")
    (alembic-test-check (null (alembic-test-lines lines " | ")) "no problem on any revision"))
  ;; RET on the head's line visits the migration at its revision line.
  (let ((listing (get-buffer "*alembic migrations*")))
    (with-current-buffer listing
      (alembic-test-check (eq major-mode 'compilation-mode) "the listing is in compilation-mode")
      (alembic-test-check (eq (key-binding (kbd "RET")) 'compile-goto-error) "RET is compile-goto-error there"))
    (select-window (display-buffer listing))
    (goto-char (point-min))
    (forward-line 2)
    (compile-goto-error))
  (let ((visited (window-buffer (selected-window))))
    (with-current-buffer visited
      (alembic-test-check (equal (file-name-nondirectory (or buffer-file-name "")) "c19f6b2a8e3d_create_shipping_addresses.py")
                          "RET on the head visits its file (%s)" visited)
      (goto-char (window-point (selected-window)))
      (alembic-test-check (= (line-number-at-pos) 13) "at its revision line 13 (got %d)" (line-number-at-pos))
      (alembic-test-check (looking-at "revision = 'c19f6b2a8e3d'") "on `revision = ...'"))))

(defun alembic-test-tangled (root)
  (alembic-test-say "# examples/tangled")
  (alembic-test-visit (expand-file-name "migrations/versions/0007_add_invoices.py" root))
  (alembic-test-managed)
  (let ((lines (alembic-test-listing)))
    (alembic-test-check (alembic-test-lines lines "\\`== migrations: 11 heads, [0-9]+ revisions\\'")
                        "the monolith: 11 heads")
    (alembic-test-check (alembic-test-lines lines "\\`== services/audit/migrations: 1 head, 4 revisions\\'")
                        "the audit service: 1 head")
    (alembic-test-check (= (length (alembic-test-lines lines ": heads   migrations: ")) 11)
                        "11 head lines for the monolith")
    (alembic-test-check (alembic-test-lines lines ": history migrations: 8b0d2f4a6c1e \\[merge point, branch point\\]")
                        "the unparenthesised tuple is a merge point and a branch point")
    (alembic-test-check (alembic-test-lines lines "5e8f0a2b4c6d_add_order_discounts.py:13: history migrations: 5e8f0a2b4c6d .* | error missing-revision: ")
                        "the wrong parent is an error on its revision")
    (alembic-test-check (alembic-test-lines lines ": history migrations: 6a8c0e2f4b1d .* | warning header-mismatch: ")
                        "the stale header is a warning on its revision")
    (alembic-test-check (= (length (alembic-test-lines lines ": history migrations: 3a7c9e1b5d2f \\[[^]]*duplicated id")) 2)
                        "the duplicated id: two lines, both marked")
    (alembic-test-check (alembic-test-lines lines ": missing migrations: a1b2c3d4e5f6_add_orders, named by 5e8f0a2b4c6d\\'")
                        "the missing parent is listed")
    (alembic-test-check (alembic-test-lines lines "\\`migrations/versions/migration_utils.py:1: other   migrations: error not-a-migration: ")
                        "the helper module's problem is listed with its file")
    (alembic-test-check (= (length (alembic-test-lines lines ": history services/audit/migrations: .* | error revision-cycle")) 3)
                        "the audit cycle: three revisions with revision-cycle"))
  (let* ((lines (alembic-test-listing "refund"))
         (ids (sort (mapcar (lambda (l) (and (string-match ": history migrations: \\([^ ]+\\)" l) (match-string 1 l)))
                            (alembic-test-lines lines ": history "))
                    #'string<)))
    (alembic-test-check (string-match-p "matching \"refund\"" (car lines)) "the first line names the filter")
    (alembic-test-check (equal ids '("3a7c9e1b5d2f" "3a7c9e1b5d2f" "d8a0c2e4f6b1"))
                        "filter \"refund\": the three refund migrations (%s)" (string-join ids " ")))
  (let ((lines (alembic-test-listing "add refund reason")))
    (alembic-test-check (= (length (alembic-test-lines lines ": history ")) 1)
                        "filter \"add refund reason\": one revision")))

(defun alembic-test-main ()
  (alembic-test-start)
  (setq eglot-autoreconnect nil)
  (setq alembic-test-tmp (make-temp-file "alembic-lsp-emacs-" t))
  (alembic-test-check (commandp 'alembic-lsp-migrations) "alembic-lsp-migrations is a command")
  (alembic-test-check (autoloadp (symbol-function 'alembic-lsp-migrations))
                      "alembic-lsp.el autoloads it (alembic-lsp-migrations.el not loaded yet)")
  (alembic-test-clean (alembic-test-copy-example "clean"))
  (let ((file (symbol-file 'alembic-lsp-migrations 'defun))
        (expected (expand-file-name "editors/emacs/alembic-lsp-migrations.el" alembic-test-source-dir)))
    (alembic-test-check (and (featurep 'alembic-lsp-migrations) file
                             (equal (file-name-sans-extension (file-truename file))
                                    (file-name-sans-extension (file-truename expected))))
                        "the first use loaded %s (from %s)" expected file))
  (alembic-test-tangled (alembic-test-copy-example "tangled")))

(alembic-test-run "emacs migrations test" #'alembic-test-main)

;;; emacs_migrations_test.el ends here
