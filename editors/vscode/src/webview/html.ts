// The graph page's HTML. No `vscode` import: the extension fills in webview URIs, the
// browser test fills in file URLs, and both get the same page and policy.

export interface PageResources {
  /** URL of dist/webview/graph.js. */
  script: string;
  /** URL of dist/webview/graph.css. */
  style: string;
  /** The webview's cspSource (where local resources are served from). */
  cspSource: string;
  /** A fresh random value for the script's nonce. */
  nonce: string;
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Nothing is loaded from the network; only the bundled script runs. */
export function graphHtml(r: PageResources): string {
  const csp = [
    "default-src 'none'",
    `style-src ${r.cspSource}`,
    `script-src 'nonce-${r.nonce}'`,
    `img-src ${r.cspSource} data:`,
    `font-src ${r.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(r.style)}">
<title>Alembic revision graph</title>
</head>
<body>
<header class="toolbar">
  <select id="environment" title="Environment" hidden></select>
  <input id="search" type="search" placeholder="Search id, message or label" aria-label="Search revisions">
  <span id="matches" class="muted"></span>
  <button id="expand-all" type="button" title="Show every revision">Expand all</button>
  <button id="collapse-all" type="button" title="Fold linear runs again">Collapse runs</button>
  <button id="zoom-out" type="button" title="Zoom out">−</button>
  <button id="zoom-in" type="button" title="Zoom in">+</button>
  <button id="zoom-fit" type="button" title="Fit the width of the panel">Fit</button>
  <span id="summary" class="muted"></span>
</header>
<div class="toolbar alembic" id="alembic-actions" title="Runs the project's Alembic (setting alembic.command) in a terminal">
  <span id="selected" class="muted">Click a revision to pick it.</span>
  <button id="run-upgrade" type="button" data-action="upgrade" disabled>Upgrade to here</button>
  <button id="run-downgrade" type="button" data-action="downgrade" disabled>Downgrade to here</button>
  <button id="run-stamp" type="button" data-action="stamp" disabled>Stamp</button>
  <button id="run-current" type="button" data-action="current" disabled>Show current revision</button>
</div>
<div class="legend">
  <span class="key head">head</span><span class="key base">base</span><span class="key merge">merge point</span>
  <span class="key branch-point">branch point</span><span class="key duplicate">duplicated id</span>
  <span class="key ghost">missing revision</span><span class="key run">N revisions (click to expand)</span>
  <span class="key db-current">database is here (alembic current)</span>
</div>
<div id="status" class="muted">Waiting for the server…</div>
<main id="canvas"></main>
<script nonce="${attr(r.nonce)}" src="${attr(r.script)}"></script>
</body>
</html>
`;
}
