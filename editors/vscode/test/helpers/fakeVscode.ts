// A stand-in for the `vscode` module, enough to run the real extension bundle
// (dist/extension.js, with vscode-languageclient inside) against the real server in
// node: a workspace on disk, configuration, commands, status bar items, quick picks,
// documents, workspace edits, file watchers and webview panels are modelled and
// recorded; anything else is an inert object (every property, call or `new` of it
// gives another), so unused parts of the API cost nothing.

import * as fs from 'node:fs';
import * as path from 'node:path';

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners: Array<Listener<T>> = [];
  event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => { this.listeners = this.listeners.filter((l) => l !== listener); });
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Disposable {
  constructor(private readonly onDispose: () => unknown) {}
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

export class Uri {
  constructor(readonly scheme: string, readonly authority: string, readonly path: string) {}
  get fsPath(): string {
    return this.path;
  }
  static file(p: string): Uri {
    return new Uri('file', '', p);
  }
  static parse(s: string): Uri {
    const u = new URL(s);
    return new Uri(u.protocol.slice(0, -1), u.host, decodeURIComponent(u.pathname));
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, base.authority, path.posix.join(base.path, ...parts));
  }
  with(change: { scheme?: string; path?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, this.authority, change.path ?? this.path);
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path.split('/').map(encodeURIComponent).join('/')}`;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, path: this.path };
  }
}

export class Position {
  constructor(readonly line: number, readonly character: number) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c ?? 0, d ?? 0) : (b as Position);
  }
}

export class Location {
  constructor(readonly uri: Uri, readonly range: Range) {}
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class MarkdownString {
  value = '';
  appendText(s: string): this { this.value += s; return this; }
  appendMarkdown(s: string): this { this.value += s; return this; }
}

type EditOp =
  | { kind: 'create'; uri: Uri; options?: { overwrite?: boolean; ignoreIfExists?: boolean } }
  | { kind: 'replace'; uri: Uri; range: Range; text: string };

export class WorkspaceEdit {
  readonly ops: EditOp[] = [];
  createFile(uri: Uri, options?: { overwrite?: boolean; ignoreIfExists?: boolean }): void {
    this.ops.push({ kind: 'create', uri, options });
  }
  replace(uri: Uri, range: Range, text: string): void {
    this.ops.push({ kind: 'replace', uri, range, text });
  }
  insert(uri: Uri, position: Position, text: string): void {
    this.replace(uri, new Range(position, position), text);
  }
  set(uri: Uri, edits: Array<{ range: Range; newText: string }>): void {
    for (const e of edits) this.replace(uri, e.range, e.newText);
  }
}

/** An object on which every property, call or construction yields another such object. */
export function inert(): unknown {
  const cache = new Map<PropertyKey, unknown>();
  return new Proxy(function () {}, {
    get(target, key) {
      if (Reflect.has(target, key) && key !== 'length' && key !== 'name') return Reflect.get(target, key) as unknown;
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* () {};
      if (!cache.has(key)) cache.set(key, inert());
      return cache.get(key);
    },
    apply: () => inert(),
    construct: () => inert() as object,
  });
}

function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) { re += '(?:.*/)?'; i += 2; }
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export class FakeDocument {
  version = 1;
  isDirty = false;
  readonly isClosed = false;
  readonly isUntitled = false;
  readonly languageId: string;
  constructor(readonly uri: Uri, public text: string, private readonly host: FakeVscode) {
    this.languageId = uri.path.endsWith('.py') ? 'python' : 'plaintext';
  }
  get fileName(): string { return this.uri.fsPath; }
  get lineCount(): number { return this.text.split('\n').length; }
  getText(): string { return this.text; }
  offsetAt(p: Position): number {
    const lines = this.text.split('\n');
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  }
  save(): Promise<boolean> {
    fs.writeFileSync(this.uri.fsPath, this.text);
    this.isDirty = false;
    this.host.fileEvent('change', this.uri.fsPath);
    this.host.onDidSave.fire(this);
    return Promise.resolve(true);
  }
}

export interface StatusItem {
  id: string; text: string; tooltip?: unknown; command?: string; name?: string;
  backgroundColor?: ThemeColor; visible: boolean; show(): void; hide(): void; dispose(): void;
}

export interface FakePanel {
  title: string;
  html: string;
  posted: unknown[];
  receive: EventEmitter<unknown>;
  disposed: boolean;
}

interface Watcher { match: RegExp; create: EventEmitter<Uri>; change: EventEmitter<Uri>; remove: EventEmitter<Uri> }

export class FakeVscode {
  readonly statusItems: StatusItem[] = [];
  readonly output = new Map<string, string[]>();
  readonly messages: Array<{ kind: string; text: string }> = [];
  readonly commands = new Map<string, (...args: unknown[]) => unknown>();
  readonly contextKeys = new Map<string, unknown>();
  readonly quickPicks: Array<{ items: Array<{ label: string; kind?: number }>; title?: string }> = [];
  readonly shown: Array<{ path: string; line?: number }> = [];
  readonly panels: FakePanel[] = [];
  readonly documents: FakeDocument[] = [];
  private watchers: Watcher[] = [];
  pick: (items: Array<{ label: string; kind?: number }>) => unknown = () => undefined;
  activeEditor: { document: FakeDocument } | undefined;
  readonly onDidOpen = new EventEmitter<FakeDocument>();
  readonly onDidSave = new EventEmitter<FakeDocument>();
  readonly onDidChangeEditor = new EventEmitter<unknown>();

  constructor(readonly root: string, readonly config: Record<string, unknown>) {}

  fileEvent(kind: 'create' | 'change' | 'delete', file: string): void {
    for (const w of this.watchers) {
      if (!w.match.test(file)) continue;
      (kind === 'create' ? w.create : kind === 'change' ? w.change : w.remove).fire(Uri.file(file));
    }
  }

  private document(uri: Uri): FakeDocument {
    let doc = this.documents.find((d) => d.uri.fsPath === uri.fsPath);
    if (!doc) {
      doc = new FakeDocument(uri, fs.existsSync(uri.fsPath) ? fs.readFileSync(uri.fsPath, 'utf8') : '', this);
      this.documents.push(doc);
      this.onDidOpen.fire(doc);
    }
    return doc;
  }

  /** As VS Code: files are created on disk, text edits go to (now open, unsaved) documents. */
  private applyEdit(edit: WorkspaceEdit): boolean {
    const edited = new Map<string, { uri: Uri; text: string }>();
    for (const op of edit.ops) {
      const file = op.uri.fsPath;
      if (op.kind === 'create') {
        if (fs.existsSync(file) && !op.options?.overwrite) {
          if (op.options?.ignoreIfExists) continue;
          return false;
        }
        fs.writeFileSync(file, '');
        this.fileEvent('create', file);
        continue;
      }
      const current = edited.get(file) ?? { uri: op.uri, text: this.documents.find((d) => d.uri.fsPath === file)?.text ?? fs.readFileSync(file, 'utf8') };
      const doc = new FakeDocument(op.uri, current.text, this);
      current.text = current.text.slice(0, doc.offsetAt(op.range.start)) + op.text + current.text.slice(doc.offsetAt(op.range.end));
      edited.set(file, current);
    }
    for (const { uri, text } of edited.values()) {
      const existing = this.documents.find((d) => d.uri.fsPath === uri.fsPath);
      if (existing) { existing.text = text; existing.version++; existing.isDirty = true; continue; }
      const doc = new FakeDocument(uri, text, this);
      doc.isDirty = true;
      this.documents.push(doc);
      this.onDidOpen.fire(doc);
    }
    return true;
  }

  private findFiles(glob: string, _exclude: unknown, max = Infinity): Uri[] {
    const match = globRegExp(glob);
    const found: Uri[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (found.length >= max) return;
        const full = path.join(dir, e.name);
        if (e.isDirectory()) { if (e.name !== 'node_modules' && e.name !== '.git') walk(full); }
        else if (match.test(path.relative(this.root, full))) found.push(Uri.file(full));
      }
    };
    walk(this.root);
    return found;
  }

  /** The `vscode` namespace handed to the extension. */
  module(): unknown {
    // The namespace's getters and methods have their own `this`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    const emitterEvent = <T>(e: EventEmitter<T>) => e.event;
    const channel = (name: string) => {
      const lines: string[] = [];
      this.output.set(name, lines);
      return {
        name, append: (s: string) => lines.push(s), appendLine: (s: string) => lines.push(s),
        replace: () => undefined, clear: () => undefined, show: () => undefined, hide: () => undefined, dispose: () => undefined,
      };
    };
    const api = {
      version: '1.82.0',
      env: { appName: 'Visual Studio Code', language: 'en', openExternal: () => Promise.resolve(true) },
      Uri, Position, Range, Location, Selection: Range, ThemeColor, MarkdownString, WorkspaceEdit, EventEmitter, Disposable,
      TextEdit: class { constructor(readonly range: Range, readonly newText: string) {} },
      CancellationError: class extends Error {},
      CancellationTokenSource: class {
        private readonly emitter = new EventEmitter<void>();
        token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
        cancel(): void { this.token.isCancellationRequested = true; this.emitter.fire(); }
        dispose(): void { this.emitter.dispose(); }
      },
      StatusBarAlignment: { Left: 1, Right: 2 },
      QuickPickItemKind: { Separator: -1, Default: 0 },
      ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3 },
      ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
      commands: {
        registerCommand(id: string, run: (...args: unknown[]) => unknown) {
          if (self.commands.has(id)) throw new Error(`command '${id}' already exists`);
          self.commands.set(id, run);
          return new Disposable(() => self.commands.delete(id));
        },
        executeCommand(id: string, ...args: unknown[]) {
          if (id === 'setContext') { self.contextKeys.set(args[0] as string, args[1]); return Promise.resolve(); }
          const run = self.commands.get(id);
          return Promise.resolve(run ? run(...args) : undefined);
        },
      },
      window: {
        createOutputChannel: channel,
        createStatusBarItem(id: string) {
          const item: StatusItem = {
            id, text: '', visible: false,
            show() { item.visible = true; }, hide() { item.visible = false; }, dispose() { item.visible = false; },
          };
          self.statusItems.push(item);
          return item;
        },
        showInformationMessage: (text: string) => { self.messages.push({ kind: 'info', text }); return Promise.resolve(undefined); },
        showWarningMessage: (text: string) => { self.messages.push({ kind: 'warning', text }); return Promise.resolve(undefined); },
        showErrorMessage: (text: string) => { self.messages.push({ kind: 'error', text }); return Promise.resolve(undefined); },
        showQuickPick(items: Array<{ label: string }>, options?: { title?: string }) {
          self.quickPicks.push({ items, title: options?.title });
          return Promise.resolve(self.pick(items));
        },
        showTextDocument(doc: FakeDocument, options?: { selection?: Range }) {
          self.shown.push({ path: doc.uri.fsPath, line: options?.selection?.start.line });
          self.activeEditor = { document: doc };
          self.onDidChangeEditor.fire(self.activeEditor);
          return Promise.resolve(self.activeEditor);
        },
        get activeTextEditor() { return self.activeEditor; },
        onDidChangeActiveTextEditor: emitterEvent(this.onDidChangeEditor),
        withProgress: (_o: unknown, task: (p: unknown, t: unknown) => unknown) => task({ report: () => undefined }, inert()),
        createWebviewPanel(_type: string, title: string, column: number) {
          const receive = new EventEmitter<unknown>();
          const disposed = new EventEmitter<void>();
          const record: FakePanel = { title, html: '', posted: [], receive, disposed: false };
          self.panels.push(record);
          return {
            visible: true, viewColumn: column < 0 ? 2 : column,
            webview: {
              cspSource: 'vscode-resource:',
              asWebviewUri: (u: Uri) => u,
              set html(h: string) { record.html = h; },
              get html() { return record.html; },
              postMessage: (m: unknown) => { record.posted.push(m); return Promise.resolve(true); },
              onDidReceiveMessage: receive.event,
            },
            reveal: () => undefined,
            onDidDispose: disposed.event,
            onDidChangeViewState: new EventEmitter<void>().event,
            dispose: () => { if (!record.disposed) { record.disposed = true; disposed.fire(); } },
          };
        },
      },
      workspace: {
        get workspaceFolders() { return [{ uri: Uri.file(self.root), name: path.basename(self.root), index: 0 }]; },
        get textDocuments() { return self.documents; },
        getConfiguration(section?: string) {
          const key = (k: string) => (section ? `${section}.${k}` : k);
          return {
            get: (k: string, fallback?: unknown) => self.config[key(k)] ?? fallback,
            has: (k: string) => key(k) in self.config,
            inspect: () => undefined,
            update: () => Promise.resolve(),
          };
        },
        findFiles: (glob: string, exclude: unknown, max?: number) => Promise.resolve(self.findFiles(glob, exclude, max)),
        fs: { readFile: (u: Uri) => Promise.resolve(new Uint8Array(fs.readFileSync(u.fsPath))) },
        asRelativePath: (p: Uri | string) => path.relative(self.root, typeof p === 'string' ? p : p.fsPath),
        openTextDocument: (u: Uri | string) => Promise.resolve(self.document(typeof u === 'string' ? Uri.file(u) : u)),
        applyEdit: (edit: WorkspaceEdit) => Promise.resolve(self.applyEdit(edit)),
        createFileSystemWatcher(glob: string | { baseUri?: Uri; base?: string; pattern: string }) {
          const pattern = typeof glob === 'string' ? glob : path.join(glob.baseUri?.fsPath ?? glob.base ?? '', glob.pattern);
          const w: Watcher = {
            match: globRegExp(pattern.startsWith('/') ? pattern : `**/${pattern.replace(/^\*\*\//, '')}`),
            create: new EventEmitter(), change: new EventEmitter(), remove: new EventEmitter(),
          };
          self.watchers.push(w);
          return {
            onDidCreate: w.create.event, onDidChange: w.change.event, onDidDelete: w.remove.event,
            dispose: () => { self.watchers = self.watchers.filter((x) => x !== w); },
          };
        },
        onDidOpenTextDocument: emitterEvent(this.onDidOpen),
        onDidSaveTextDocument: emitterEvent(this.onDidSave),
      },
      languages: {
        match(selector: Array<{ scheme?: string; language?: string }>, doc: FakeDocument) {
          return selector.some((f) => (f.scheme ?? doc.uri.scheme) === doc.uri.scheme && (f.language ?? doc.languageId) === doc.languageId) ? 10 : 0;
        },
      },
    };
    return withFallback(api);
  }
}

/** `real` where it has a member, an inert object elsewhere (also for nested namespaces). */
function withFallback(real: object): unknown {
  const fallback = inert() as Record<PropertyKey, unknown>;
  return new Proxy(real, {
    get(target, key) {
      if (!Reflect.has(target, key)) return fallback[key];
      const value: unknown = Reflect.get(target, key);
      const namespace = value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
      return namespace ? withFallback(value) : value;
    },
  });
}
