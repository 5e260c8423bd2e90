;;; emacs_revision_test.el --- alembic-lsp-new-migration in real Emacs  -*- lexical-binding: t; -*-

;; ALEMBIC_LSP_BINARY=build/server/alembic-lsp emacs --batch -l tests/editors/emacs_revision_test.el
;;
;; On a project made by Debian's real `alembic init' / `alembic revision'
;; (tests/editors/alembic-project.sh) with a second head added by `alembic revision
;; --head FIRST --splice': `M-x alembic-lsp-new-migration' asks which head
;; (`completing-read') and the message (`read-string'), answered here by functions
;; standing in for the user's typing (batch Emacs reads the minibuffer from stdin, which
;; is closed).  The new file must be on disk, saved, shown, build on the chosen head, and
;; be accepted by the real `alembic heads'.  The project keeps a head file
;; ([tool.alembic-lsp] head-file): the same edit must move it to the new migration and
;; save it, without Eglot asking first.  File watching is declined as in
;; emacs_alembic_test.el (batch Emacs has no command loop for file-notify events).

;;; Code:

(load (expand-file-name "emacs_support.el" (file-name-directory (or load-file-name buffer-file-name)))
      nil t)

(defun alembic-test-alembic-heads ()
  "The sorted ids the real `alembic heads' prints in the project."
  (let ((default-directory (file-name-as-directory alembic-test-project)))
    (with-temp-buffer
      (alembic-test-check (eql 0 (call-process "alembic" nil t nil "heads"))
                          "`alembic heads' runs")
      (let (ids)
        (goto-char (point-min))
        (while (re-search-forward "^\\([0-9a-f]+\\) (head)" nil t)
          (push (match-string 1) ids))
        (sort ids #'string<)))))

(defun alembic-test-versions ()
  (directory-files (expand-file-name "migrations/versions" alembic-test-project) t "\\.py\\'"))

(defun alembic-test-new-file (before)
  "The one migration file not in BEFORE once it has content, else nil."
  (let ((new (cl-set-difference (alembic-test-versions) before :test #'equal)))
    (and (= (length new) 1)
         (> (or (file-attribute-size (file-attributes (car new))) 0) 0)
         (car new))))

(defun alembic-test-main ()
  (alembic-test-start)
  (alembic-test-decline-file-watching)
  (alembic-test-make-project "alembic-lsp-emacs-rev-")
  (let* ((first (assoc "first" alembic-test-revisions))
         (second (assoc "second" alembic-test-revisions))
         (default-directory (file-name-as-directory alembic-test-project)))
    (alembic-test-check (eql 0 (call-process "alembic" nil nil nil "revision" "-m" "side branch"
                                             "--head" (nth 1 first) "--splice"))
                        "a second head by `alembic revision --splice'")
    (with-temp-file (expand-file-name "pyproject.toml" alembic-test-project)
      (insert "[tool.alembic-lsp]\nhead-file = { migrations = \"migrations/HEAD\" }\n"))
    (with-temp-file (expand-file-name "migrations/HEAD" alembic-test-project)
      (insert "# the head of migrations/\n" (nth 1 second) "\n"))
    (let* ((heads (alembic-test-alembic-heads))
           (side (car (remove (nth 1 second) heads)))
           (before (alembic-test-versions))
           offered prompt created)
      (alembic-test-check (= (length heads) 2) "alembic heads lists two heads: %S" heads)
      (alembic-test-visit (expand-file-name (nth 2 first) alembic-test-project))
      (alembic-test-managed)
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (_prompt collection &rest _)
                   (setq offered (mapcar #'car collection))
                   (cl-find-if (lambda (c) (string-prefix-p side c)) offered)))
                ((symbol-function 'read-string)
                 (lambda (p &rest _) (setq prompt p) "add orders table"))
                ((symbol-function 'y-or-n-p)
                 (lambda (q) (alembic-test-fail "asked %S: the edit went to Eglot's handler" q))))
        (call-interactively #'alembic-lsp-new-migration))
      (alembic-test-wait "the new migration on disk"
                         (lambda () (setq created (alembic-test-new-file before))))
      (alembic-test-check (= (length offered) 2) "both heads offered: %S" offered)
      (alembic-test-check (string-match-p (regexp-quote side) prompt) "the message asked for %s: %s" side prompt)
      (alembic-test-check (string-suffix-p "_add_orders_table.py" created) "named after the message: %s" created)
      (let ((text (with-temp-buffer (insert-file-contents created) (buffer-string))))
        (alembic-test-check (string-match-p (regexp-quote (format "down_revision = '%s'" side)) text)
                            "builds on the chosen head %s" side)
        (alembic-test-check (string-prefix-p "\"\"\"add orders table\n" text)
                            "the message opens the docstring"))
      (alembic-test-wait "the new migration shown"
                         (lambda () (equal (buffer-file-name (window-buffer (selected-window))) created)))
      (alembic-test-check (not (buffer-modified-p (find-buffer-visiting created))) "shown and saved")
      (let* ((head-file (expand-file-name "migrations/HEAD" alembic-test-project))
             (new-id (car (split-string (file-name-nondirectory created) "_")))
             (recorded (with-temp-buffer (insert-file-contents head-file) (buffer-string)))
             (buffer (find-buffer-visiting head-file)))
        (alembic-test-check (string-match-p (concat "^[^#\n]*\\b" (regexp-quote new-id) "\\b") recorded)
                            "the head file on disk records the new migration %s (the edit moved it): %S" new-id recorded)
        (alembic-test-check (not (and buffer (buffer-modified-p buffer)))
                            "the head file is saved"))
      (let ((after (alembic-test-alembic-heads)))
        (alembic-test-check (and (= (length after) 2) (not (member side after)))
                            "the real `alembic heads' moved on from %s: %S" side after))
      ;; Non-interactively, with the head given: no question.
      (setq before (alembic-test-versions) created nil)
      (alembic-test-visit (expand-file-name (nth 2 first) alembic-test-project))
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (&rest _) (alembic-test-fail "no head question when HEAD is given"))))
        (alembic-lsp-new-migration "add index" (nth 1 second)))
      (alembic-test-wait "the second new migration on disk"
                         (lambda () (setq created (alembic-test-new-file before))))
      (alembic-test-check
       (string-match-p (regexp-quote (format "down_revision = '%s'" (nth 1 second)))
                       (with-temp-buffer (insert-file-contents created) (buffer-string)))
       "with HEAD given: builds on %s" (nth 1 second)))))

(alembic-test-run "emacs alembic-lsp-new-migration" #'alembic-test-main)

;;; emacs_revision_test.el ends here
