;;; alembic-lsp-migrations.el --- the *alembic migrations* view of alembic-lsp  -*- lexical-binding: t; -*-

;; Part of alembic-lsp (editors/emacs); alembic-lsp.el loads this file on the first
;; M-x alembic-lsp-migrations (an autoload), so keep both files in one directory.

;;; Commentary:

;; M-x alembic-lsp-migrations lists every environment's heads and history in
;; *alembic migrations*, with merge and branch points, problems and the database's
;; current revision (what `alembic-lsp-current' last printed) marked.  The buffer is in
;; `compilation-mode': RET visits the migration at `revision = ...'.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'compile)
(require 'eglot)
(require 'alembic-lsp)

(defvar alembic-lsp--current-cache nil
  "(RUN . IDS): what the `alembic current' run RUN printed, once read.")

(defun alembic-lsp--current-ids (run)
  "The revision ids the finished `alembic current' RUN printed, or nil."
  (when (and run (member "current" (plist-get run :argv))
             (eql (alembic-lsp-run-status run) 0))
    (if (eq (car alembic-lsp--current-cache) run)
        (cdr alembic-lsp--current-cache)
      (let ((buffer (plist-get run :buffer)) ids)
        (when (buffer-live-p buffer)
          (with-current-buffer buffer
            (save-excursion
              (goto-char (point-min))
              (while (re-search-forward
                      "^\\([[:alnum:]_]+\\)\\(?: (\\(?:head\\|effective head\\|mergepoint\\|branchpoint\\))\\)*[ \t]*$"
                      nil t)
                (push (match-string-no-properties 1) ids)))))
        (setq ids (nreverse ids))
        (setq alembic-lsp--current-cache (cons run ids))
        ids))))

(defun alembic-lsp--run-of-env-p (run env)
  "Whether RUN ran in the directory and ini section of ENV."
  (let ((config (plist-get env :config))
        (section (plist-get env :section))
        (argv (plist-get run :argv)))
    (and (stringp config)
         (file-equal-p (file-name-directory config) (plist-get run :directory))
         (equal (and (stringp section) (not (equal section "alembic")) section)
                (cadr (member "-n" argv))))))

(defun alembic-lsp-migrations-matches-p (revision filter)
  "Whether every word of FILTER is part of REVISION's id or message."
  (let ((id (downcase (plist-get revision :id)))
        (message (downcase (or (plist-get revision :message) ""))))
    (cl-every (lambda (word) (or (string-search word id) (string-search word message)))
              (split-string (downcase (or filter "")) nil t))))

(defun alembic-lsp--migration-line (env revision current section)
  "One line of the listing: FILE:LINE: SECTION ID [markers] -- message | problems."
  (let* ((names '(("head" . "head") ("base" . "base") ("merge" . "merge point")
                  ("branch-point" . "branch point") ("duplicate" . "duplicated id")))
         (markers (append (when current (list "current"))
                          (mapcar (lambda (k) (or (cdr (assoc k names)) k))
                                  (plist-get revision :kinds))
                          (let ((labels (append (plist-get revision :branch_labels) nil)))
                            (when labels (list (format "(%s)" (string-join labels ", ")))))))
         (message (car (split-string (or (plist-get revision :message) "") "\n"))))
    (concat (format "%s:%d: %s %s: %s" (file-relative-name (plist-get revision :path))
                    (plist-get revision :line) section (plist-get env :name) (plist-get revision :id))
            (if markers (format " [%s]" (string-join markers ", ")) "")
            (if (string-empty-p (string-trim message)) "" (concat " -- " (string-trim message)))
            (mapconcat (lambda (p) (format " | %s %s: %s" (plist-get p :severity)
                                           (plist-get p :code) (plist-get p :message)))
                       (plist-get revision :problems) ""))))

(defun alembic-lsp-migrations-insert (result filter current)
  "Insert the listing of RESULT (alembic/migrations) at point.
FILTER keeps the revisions whose id or message holds each of its words;
CURRENT is a function of an environment giving the ids the database
reported."
  (cl-loop
   for env across (plist-get result :environments)
   for revisions = (append (plist-get env :revisions) nil)
   for ids = (funcall current env)
   for heads = (length (plist-get env :heads))
   do (insert (format "== %s: %d %s, %d revisions%s\n" (plist-get env :name) heads
                      (if (= heads 1) "head" "heads") (length revisions)
                      (if ids (format ", database at %s" (string-join ids ", ")) "")))
   do (dolist (section '("heads  " "history"))
        (dolist (r revisions)
          (when (and (or (equal section "history") (member "head" (append (plist-get r :kinds) nil)))
                     (alembic-lsp-migrations-matches-p r filter))
            (insert (alembic-lsp--migration-line env r (member (plist-get r :id) ids) section) "\n"))))
   do (cl-loop for m across (plist-get env :missing)
               for names = (append (plist-get m :referenced_by) nil)
               for child = (cl-find-if (lambda (r) (member (plist-get r :id) names)) revisions)
               do (insert (format "%s:%d: missing %s: %s, named by %s\n"
                                  (if child (file-relative-name (plist-get child :path)) "?")
                                  (if child (plist-get child :line) 0)
                                  (plist-get env :name) (plist-get m :id) (string-join names ", "))))
   do (cl-loop for p across (plist-get env :problems)
               do (insert (format "%s:%d: other   %s: %s %s: %s\n"
                                  (file-relative-name (plist-get p :path)) (plist-get p :line)
                                  (plist-get env :name) (plist-get p :severity)
                                  (plist-get p :code) (plist-get p :message))))))

;;;###autoload
(defun alembic-lsp-migrations (&optional filter)
  "List the heads and the history of every environment in *alembic migrations*.
Each environment's heads, then its revisions from the bases to the
heads, with their markers (head, base, merge point, branch point,
duplicated id, branch labels, `current' after `alembic-lsp-current'),
and the problems of each revision's file; then missing parents and the
problems of files that declare no revision.  RET on a line visits the
migration at `revision = ...' (`compilation-mode').  With a prefix
argument, read FILTER: words each of which must be part of a revision's
id or message."
  (interactive (list (when current-prefix-arg (read-string "Filter (id or message words): "))))
  (let* ((server (alembic-lsp--server))
         (root (project-root (eglot--project server)))
         (result (jsonrpc-request server :alembic/migrations (make-hash-table)))
         (run alembic-lsp-last-run)
         (current (lambda (env)
                    (and run (alembic-lsp--run-of-env-p run env) (alembic-lsp--current-ids run))))
         (buffer (get-buffer-create "*alembic migrations*")))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (erase-buffer)
        (setq default-directory (file-name-as-directory root))
        (insert (format "alembic-lsp migrations%s\n"
                        (if (and filter (not (string-empty-p filter))) (format " matching %S" filter) "")))
        (alembic-lsp-migrations-insert result filter current))
      (compilation-mode)
      (goto-char (point-min)))
    (display-buffer buffer)
    buffer))

(provide 'alembic-lsp-migrations)
;;; alembic-lsp-migrations.el ends here
