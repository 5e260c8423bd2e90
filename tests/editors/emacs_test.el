;;; emacs_test.el --- editors/emacs/alembic-lsp.el with Eglot against the real server  -*- lexical-binding: t; -*-

;; ALEMBIC_LSP_BINARY=build/server/alembic-lsp emacs --batch -l tests/editors/emacs_test.el
;;
;; On a temporary copy of examples/tangled: migrations get `alembic-migration-mode' and
;; alembic-lsp through Eglot, application code keeps python-mode; Flymake shows the
;; server's findings on the lines examples/README.md gives; xref-find-definitions jumps
;; from a down_revision id to the revision; `alembic-lsp-merge-heads' writes the merge
;; migration.  One line per check; exit 0 when all pass, 1 on the first failure.  Every
;; wait is bounded; the copy is removed either way.

;;; Code:

(defconst alembic-test-heads
  '("0f2a4c6e8b1d" "2023-11-02-add-tags" "3a7c9e1b5d2f" "5e8f0a2b4c6d" "7d3e9f1a2b4c"
    "a7c9e1f3b5d0" "b3d5f7a9c1e0" "c2e4a6b8d0f1" "c4d5e6f7a8b9" "e6b1c8d2f7a3")
  "The heads of the tangled monolith, each id once (examples/README.md).")

(load (expand-file-name "emacs_support.el" (file-name-directory (or load-file-name buffer-file-name)))
      nil t)
(defvar alembic-test-root nil)
(defvar alembic-test-versions nil)

(defun alembic-test-diagnostics ()
  (let* ((dup-file "b9d1f3a5c7e0_add_refund_status.py")
         (dup (alembic-test-visit (expand-file-name dup-file alembic-test-versions))))
    (alembic-test-check (eq major-mode 'alembic-migration-mode)
                        "%s opens in alembic-migration-mode" dup-file)
    (let ((server (alembic-test-managed)))
      (alembic-test-check (object-of-class-p server 'alembic-lsp-server)
                          "Eglot runs alembic-lsp for it (%s)" (eglot--server-info server))
      (alembic-test-check (file-equal-p (project-root (eglot--project server)) alembic-test-root)
                          "its project root is the directory of alembic.ini"))
    (with-current-buffer dup
      (let ((d (alembic-test-wait-finding "duplicate-revision" dup-file)))
        (alembic-test-check (= (alembic-test-line d) 13)
                            "duplicate-revision in %s on line 13 (got %d)" dup-file (alembic-test-line d))
        (alembic-test-check (eq (flymake-diagnostic-type d) 'eglot-error)
                            "duplicate-revision is an error"))))
  (let* ((miss-file "5e8f0a2b4c6d_add_order_discounts.py")
         (miss (alembic-test-visit (expand-file-name miss-file alembic-test-versions))))
    (with-current-buffer miss
      (alembic-test-managed)
      (let ((d (alembic-test-wait-finding "missing-revision" miss-file)))
        (alembic-test-check (= (alembic-test-line d) 14)
                            "missing-revision in %s on line 14 (got %d)" miss-file (alembic-test-line d))
        (alembic-test-check (equal (buffer-substring (flymake-diagnostic-beg d) (flymake-diagnostic-end d))
                                   "'a1b2c3d4e5f6_add_orders'")
                            "missing-revision covers the string 'a1b2c3d4e5f6_add_orders'")
        (alembic-test-check (string-match-p "did you mean 'a1b2c3d4e5f6'" (flymake-diagnostic-text d))
                            "missing-revision suggests a1b2c3d4e5f6")))))

(defun alembic-test-application-code ()
  (let ((models (expand-file-name "app/models.py" alembic-test-root)))
    (make-directory (file-name-directory models) t)
    (with-temp-file models (insert "import sqlalchemy as sa\n\nmetadata = sa.MetaData()\n"))
    (with-current-buffer (alembic-test-visit models)
      (alembic-test-check (and (eq major-mode 'python-mode) (null (eglot-current-server)))
                          "app/models.py stays in python-mode without alembic-lsp (major mode %s)"
                          major-mode)))
  (with-current-buffer (alembic-test-visit (expand-file-name "migrations/env.py" alembic-test-root))
    (alembic-test-check (eq major-mode 'python-mode) "migrations/env.py stays in python-mode")))

(defun alembic-test-definition ()
  (let ((from-file "9f4e2d1c0b8a_add_payments.py")
        (target "a1b2c3d4e5f6_add_orders.py"))
    (alembic-test-visit (expand-file-name from-file alembic-test-versions))
    (alembic-test-managed)
    (goto-char (point-min))
    (forward-line 13)
    (alembic-test-check (re-search-forward "down_revision = '\\(a1b2c3d4e5f6\\)'" (line-end-position) t)
                        "down_revision 'a1b2c3d4e5f6' on line 14 of %s" from-file)
    (goto-char (+ (match-beginning 1) 2))
    (let ((this-command 'xref-find-definitions))
      (xref-find-definitions (xref-backend-identifier-at-point (xref-find-backend))))
    (alembic-test-wait (format "xref to open %s" target)
                       (lambda () (string-suffix-p (concat "/" target) (or buffer-file-name ""))))
    (alembic-test-check (= (line-number-at-pos) 13)
                        "xref-find-definitions lands on line 13 of %s (got %d)" target (line-number-at-pos))
    (alembic-test-check (looking-at-p "'a1b2c3d4e5f6'")
                        "point is on the revision string: %s"
                        (buffer-substring (line-beginning-position) (line-end-position)))))

(defun alembic-test-py-files ()
  (directory-files alembic-test-versions nil "\\.py\\'"))

(defun alembic-test-merge ()
  (let* ((due-file "7d3e9f1a2b4c_add_invoice_due_date.py")
         (due (alembic-test-visit (expand-file-name due-file alembic-test-versions))))
    (with-current-buffer due
      (alembic-test-managed)
      (alembic-test-wait-finding "multiple-heads" due-file)
      (alembic-test-check t "multiple-heads on head %s before the merge" due-file))
    (alembic-test-visit (expand-file-name "8b0d2f4a6c1e_merge_currency_and_pdf_path.py"
                                          alembic-test-versions))
    (alembic-test-managed)
    (let ((before (alembic-test-py-files)))
      (alembic-lsp-merge-heads)
      (let* ((created (cl-set-difference (alembic-test-py-files) before :test #'equal))
             (name (car created))
             (path (and name (expand-file-name name alembic-test-versions)))
             (text (and path (with-temp-buffer (insert-file-contents path) (buffer-string)))))
        (alembic-test-check (= (length created) 1) "one new migration on disk: %s" created)
        (alembic-test-check (string-match "^down_revision[^=\n]*= *(\\([^)]*\\))" text)
                            "its down_revision is a tuple")
        (let ((listed (split-string (match-string 1 text) "[ ,'\"]+" t)))
          (alembic-test-check (equal (sort (copy-sequence listed) #'string<)
                                     (sort (copy-sequence alembic-test-heads) #'string<))
                              "down_revision lists the %d heads: %s" (length alembic-test-heads)
                              (string-join listed " ")))
        (alembic-test-check (and (string-match "^revision[^=\n]*= *'\\([^']+\\)'" text)
                                 (string-prefix-p (match-string 1 text) name))
                            "the file name starts with its revision id")
        (with-current-buffer (window-buffer (selected-window))
          (alembic-test-check (and (equal buffer-file-name path) (not (buffer-modified-p)))
                              "the new migration is shown in the window, saved (%s)"
                              buffer-file-name))))
    (with-current-buffer due
      (alembic-test-wait (format "multiple-heads to go from %s" due-file)
                         (lambda () (null (alembic-test-findings "multiple-heads"))))
      (alembic-test-check t "after the merge, multiple-heads is gone from %s" due-file))))

(defun alembic-test-main ()
  (alembic-test-start)
  (setq eglot-autoreconnect nil)
  (setq alembic-test-tmp (make-temp-file "alembic-lsp-emacs-" t)
        alembic-test-root (alembic-test-copy-example "tangled")
        alembic-test-versions (expand-file-name "migrations/versions" alembic-test-root))
  (alembic-test-check (file-directory-p alembic-test-versions)
                      "copied examples/tangled to %s" alembic-test-tmp)
  (alembic-test-diagnostics)
  (alembic-test-application-code)
  (alembic-test-definition)
  (alembic-test-merge))

(alembic-test-run "emacs editor test" #'alembic-test-main)

;;; emacs_test.el ends here
