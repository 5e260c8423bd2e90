/* git.exe for the wine test run: a STAND-IN for Git for Windows, not Git for Windows.
 *
 * Git for Windows cannot be installed on the machine the tests run on (Debian packages
 * only), so scripts/test-windows.sh --git-standin builds this program with MinGW and puts
 * it on wine's PATH as git.exe. It runs Debian's /usr/bin/git behind wine and gives
 * alembic-lsp.exe what Git for Windows would: a Windows process (found by SearchPathW,
 * started by CreateProcessW with a quoted command line, exit code through
 * GetExitCodeProcess) talking over the three pipes it was given. What this proves is the
 * .exe's side: spawning, quoting, pipes, timeouts and the parsing of git's answers. What it
 * does not prove is Git for Windows itself (its own path conversions, line ends, config).
 *
 * Why a Windows program and not a link to /usr/bin/git on PATH: wine 8 starts a Unix
 * executable from CreateProcessW, but hands back no process handle for it (hProcess is
 * NULL), so the .exe cannot wait for it nor read its exit code; it reported every git
 * call as "git did not answer in time". This program is the Windows process the .exe
 * waits for. It cannot hand its pipes to a Unix child either (wine gave the Unix git an
 * empty stdout and ended the pipe before git had written), so git's input, output, errors
 * and exit code go through files: it writes its input (read only when git would read it:
 * --batch, --stdin, --stdin-paths) to NAME.in, starts
 * `/bin/sh -c 'git "$@" <NAME.in >NAME.out 2>NAME.err; echo $? >NAME.status'` (wine's
 * Unix fallback), waits for NAME.status, then writes out what git wrote and exits with
 * git's exit code.
 *
 * Path conversions, as Git for Windows does them for a Windows caller:
 *  - the directory after `-C` ("Z:\tmp\x") is given to Linux git as a Unix path;
 *  - `hash-object --stdin-paths`: each input line that is a Windows path likewise;
 *  - `rev-parse --show-toplevel`: the Unix path Linux git prints is written back as Git
 *    for Windows prints it ("Z:/tmp/x": drive letter, forward slashes).
 * Nothing else is converted: a Windows path passed anywhere else reaches Linux git as it
 * is, and the test that depends on it fails. */
#include <windows.h>

#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

typedef char *(CDECL *to_unix_fn)(const WCHAR *);
typedef WCHAR *(CDECL *to_dos_fn)(const char *);
static to_unix_fn to_unix;
static to_dos_fn to_dos;

static void die(const char *what) {
  fprintf(stderr, "git.exe (wine stand-in): %s (error %lu)\n", what, GetLastError());
  ExitProcess(128);
}

/* "X:\..." or "X:/...". */
static int is_windows_path(const WCHAR *s) {
  return ((s[0] >= L'A' && s[0] <= L'Z') || (s[0] >= L'a' && s[0] <= L'z')) && s[1] == L':' &&
         (s[2] == L'\\' || s[2] == L'/');
}

static WCHAR *widen(const char *s, int n) {
  int len = MultiByteToWideChar(CP_UTF8, 0, s, n, NULL, 0);
  WCHAR *w = calloc((size_t)len + 1, sizeof(WCHAR));
  MultiByteToWideChar(CP_UTF8, 0, s, n, w, len);
  return w;
}

/* A Windows path as the Unix path wine maps it to (UTF-8 converted back to wide: the
 * command line of a Unix program is converted by wine). */
static WCHAR *unix_path(const WCHAR *windows) {
  char *u = to_unix(windows);
  if (!u) return _wcsdup(windows);
  WCHAR *w = widen(u, -1);
  HeapFree(GetProcessHeap(), 0, u);
  return w;
}

/* Appends `arg` quoted as CommandLineToArgvW (and wine, for a Unix program) reads it. */
static void append_quoted(WCHAR *line, const WCHAR *arg) {
  size_t n = wcslen(line);
  if (*arg && !wcspbrk(arg, L" \t\n\v\"")) {
    wcscpy(line + n, arg);
    return;
  }
  line[n++] = L'"';
  for (const WCHAR *p = arg;; ++p) {
    size_t backslashes = 0;
    while (*p == L'\\') ++p, ++backslashes;
    if (!*p) {
      while (backslashes--) line[n++] = L'\\', line[n++] = L'\\';
      break;
    }
    if (*p == L'"') backslashes = backslashes * 2 + 1;
    while (backslashes--) line[n++] = L'\\';
    line[n++] = *p;
  }
  line[n++] = L'"';
  line[n] = 0;
}

/* Reads all of `h` into a malloc'ed buffer (size in *size). */
static char *read_all(HANDLE h, size_t *size) {
  size_t cap = 65536, len = 0;
  char *buf = malloc(cap);
  DWORD got;
  while (ReadFile(h, buf + len, (DWORD)(cap - len), &got, NULL) && got > 0) {
    len += got;
    if (len == cap) buf = realloc(buf, cap *= 2);
  }
  *size = len;
  return buf;
}

static void write_all(HANDLE h, const char *data, size_t size) {
  DWORD put;
  while (size > 0 && WriteFile(h, data, (DWORD)(size > (1u << 20) ? 1u << 20 : size), &put, NULL)) {
    data += put;
    size -= put;
  }
}

/* stdin of `hash-object --stdin-paths`: Windows paths, one a line, as Unix paths. */
static char *convert_input_paths(const char *in, size_t size, size_t *out_size) {
  size_t cap = size * 2 + 64, len = 0;
  char *out = malloc(cap);
  size_t start = 0;
  while (start < size) {
    const char *nl = memchr(in + start, '\n', size - start);
    size_t end = nl ? (size_t)(nl - in) : size;
    char *converted = NULL;
    WCHAR *wide = widen(in + start, (int)(end - start));
    size_t wlen = wcslen(wide);
    if (wlen && wide[wlen - 1] == L'\r') wide[--wlen] = 0;
    if (is_windows_path(wide)) converted = to_unix(wide);
    const char *piece = converted ? converted : in + start;
    size_t piece_len = converted ? strlen(converted) : end - start;
    if (len + piece_len + 2 > cap) out = realloc(out, cap = (len + piece_len + 2) * 2);
    memcpy(out + len, piece, piece_len);
    len += piece_len;
    if (nl) out[len++] = '\n';
    if (converted) HeapFree(GetProcessHeap(), 0, converted);
    free(wide);
    start = end + 1;
  }
  *out_size = len;
  return out;
}

int main(void) {
  HMODULE kernel32 = GetModuleHandleW(L"kernel32.dll");
  to_unix = (to_unix_fn)(void (*)(void))GetProcAddress(kernel32, "wine_get_unix_file_name");
  to_dos = (to_dos_fn)(void (*)(void))GetProcAddress(kernel32, "wine_get_dos_file_name");
  if (!to_unix || !to_dos) die("not running under wine: this git.exe is a wine test stand-in");

  int argc;
  WCHAR **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
  if (!argv) die("cannot read the command line");
  int stdin_paths = 0, show_toplevel = 0, reads_input = 0;
  size_t line_size = 256;
  for (int i = 1; i < argc; ++i) {
    line_size += wcslen(argv[i]) * 2 + 8;
    if (!wcscmp(argv[i], L"--stdin-paths")) stdin_paths = 1;
    /* The options with which git reads its standard input (the ones alembic-lsp uses);
     * for any other command the input is left unread, as git leaves it. */
    if (!wcscmp(argv[i], L"--stdin-paths") || !wcscmp(argv[i], L"--stdin") ||
        !wcsncmp(argv[i], L"--batch", 7))
      reads_input = 1;
    if (!wcscmp(argv[i], L"--show-toplevel")) show_toplevel = 1;
  }

  /* Input, read to its end (the .exe closes it after writing), converted if it names
   * paths; git's input, output, errors and exit code go through four files beside each
   * other in the temporary directory. */
  size_t in_size = 0;
  char *input = reads_input ? read_all(GetStdHandle(STD_INPUT_HANDLE), &in_size) : NULL;
  if (stdin_paths) {
    size_t converted_size;
    char *converted = convert_input_paths(input, in_size, &converted_size);
    free(input);
    input = converted;
    in_size = converted_size;
  }
  WCHAR temp_dir[MAX_PATH], base[MAX_PATH], path[MAX_PATH];
  if (!GetTempPathW(MAX_PATH, temp_dir)) die("no temporary directory");
  swprintf(base, MAX_PATH, L"%lsalembic-lsp-git-standin-%lu-%lu", temp_dir, GetCurrentProcessId(),
           GetTickCount());
  static const WCHAR *const kinds[] = {L"in", L"out", L"err", L"status"};
  WCHAR *windows_names[4];
  for (int k = 0; k < 4; ++k) {
    swprintf(path, MAX_PATH, L"%ls.%ls", base, kinds[k]);
    windows_names[k] = _wcsdup(path);
    DeleteFileW(path);
  }
  HANDLE in_file = CreateFileW(windows_names[0], GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
  if (in_file == INVALID_HANDLE_VALUE) die("cannot write git's input file");
  if (input) write_all(in_file, input, in_size);
  CloseHandle(in_file);
  WCHAR *unix_base = unix_path(base);
  WCHAR *sh = to_dos("/bin/sh");
  if (!sh) die("no /bin/sh");

  WCHAR *line = calloc(line_size + wcslen(unix_base) * 2 + wcslen(sh) * 2, sizeof(WCHAR));
  append_quoted(line, sh);
  wcscat(line, L" -c ");
  append_quoted(line,
                L"b=$1; shift; /usr/bin/git \"$@\" <\"$b.in\" >\"$b.out\" 2>\"$b.err\"; "
                L"echo $? >\"$b.tmp\"; mv \"$b.tmp\" \"$b.status\"");
  wcscat(line, L" sh ");
  append_quoted(line, unix_base);
  for (int i = 1; i < argc; ++i) {
    wcscat(line, L" ");
    const int after_c = i > 1 && !wcscmp(argv[i - 1], L"-C");
    if (after_c && is_windows_path(argv[i])) {
      WCHAR *u = unix_path(argv[i]);
      append_quoted(line, u);
      free(u);
    } else {
      append_quoted(line, argv[i]);
    }
  }

  STARTUPINFOW si = {0};
  si.cb = sizeof si;
  PROCESS_INFORMATION pi = {0};
  if (!CreateProcessW(sh, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
    die("cannot start /bin/sh for /usr/bin/git");
  /* Wine gives no handle for a Unix process (pi.hProcess is NULL): the status file,
   * renamed into place after git has exited, is its end. */
  if (pi.hProcess) CloseHandle(pi.hProcess);
  if (pi.hThread) CloseHandle(pi.hThread);
  /* Ten minutes: longer than any timeout alembic-lsp gives git (it ends this process
   * then); a shell that never finishes is reported rather than waited for forever. */
  for (DWORD waited = 0; GetFileAttributesW(windows_names[3]) == INVALID_FILE_ATTRIBUTES;
       waited += 2) {
    if (waited > 600000) {
      fprintf(stderr, "git.exe (wine stand-in): /usr/bin/git gave no exit status in 10 minutes\n");
      return 128;
    }
    Sleep(2);
  }

  int code = 128;
  FILE *status = _wfopen(windows_names[3], L"r");
  if (!status || fscanf(status, "%d", &code) != 1) {
    fprintf(stderr, "git.exe (wine stand-in): /usr/bin/git left no exit status\n");
    code = 128;
  }
  if (status) fclose(status);
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  size_t size;
  HANDLE file = CreateFileW(windows_names[1], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                            0, NULL);
  char *text = file == INVALID_HANDLE_VALUE ? NULL : read_all(file, &size);
  if (file != INVALID_HANDLE_VALUE) CloseHandle(file);
  if (text && show_toplevel) {
    char *nl = memchr(text, '\n', size);
    if (size > 0 && text[0] == '/' && nl) {
      *nl = 0;
      WCHAR *dos = to_dos(text);
      *nl = '\n';
      if (dos) {
        for (WCHAR *p = dos; *p; ++p)
          if (*p == L'\\') *p = L'/';
        char utf8[4 * MAX_PATH];
        int n = WideCharToMultiByte(CP_UTF8, 0, dos, -1, utf8, sizeof utf8 - 1, NULL, NULL);
        if (n > 0) {
          utf8[n - 1] = '\n';
          write_all(out, utf8, (size_t)n);
          write_all(out, nl + 1, size - (size_t)(nl + 1 - text));
          size = 0;
        }
        HeapFree(GetProcessHeap(), 0, dos);
      }
    }
  }
  if (text) write_all(out, text, size);
  file = CreateFileW(windows_names[2], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  text = file == INVALID_HANDLE_VALUE ? NULL : read_all(file, &size);
  if (file != INVALID_HANDLE_VALUE) CloseHandle(file);
  if (text) write_all(GetStdHandle(STD_ERROR_HANDLE), text, size);
  for (int k = 0; k < 4; ++k) DeleteFileW(windows_names[k]);
  return code;
}
