// The system ncursesw (Debian: libncurses-dev) with wide-character functions enabled, plus small C helpers
// for what Swift cannot call directly (macros, attribute bit masks, mouse masks) and for signal handlers
// that must restore the terminal.
#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <termios.h>
#include <unistd.h>
#include <langinfo.h>
#include <signal.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

/// Writes `n` wide characters at (y, x) on stdscr.
static inline int squall_mvaddnwstr(int y, int x, const wchar_t *text, int n) {
    return mvaddnwstr(y, x, text, n);
}

/// Sets the attributes and colour pair (extended pairs allowed) used by the next writes.
static inline int squall_set_style(int pair, int bold, int underline, int reverse, int dim) {
    attr_t a = A_NORMAL;
    if (bold) a |= A_BOLD;
    if (underline) a |= A_UNDERLINE;
    if (reverse) a |= A_REVERSE;
    if (dim) a |= A_DIM;
    int p = pair;
    return attr_set(a, (short)(pair < 32767 ? pair : 0), &p);
}

/// The number of colours the terminal has (curses' COLORS, after start_color).
static inline int squall_colors(void) { return COLORS; }

/// Clears stdscr (written to the terminal on the next refresh).
static inline int squall_erase(void) { return erase(); }

/// Sets how long reading a key waits, in milliseconds (-1: forever).
static inline void squall_timeout(int ms) { timeout(ms); }

/// Reads a key or character from stdscr: OK (a character), KEY_CODE_YES (a key code) or ERR (none).
static inline int squall_get_wch(wint_t *ch) { return get_wch(ch); }

/// The terminal's size.
static inline void squall_size(int *height, int *width) {
    *height = getmaxy(stdscr);
    *width = getmaxx(stdscr);
}

/// Turns on the keypad, raw input without echo, a hidden cursor and mouse reports (clicks and wheel).
static inline void squall_setup_input(void) {
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    curs_set(0);
    set_escdelay(25);
    mouseinterval(0);
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
}

/// Reads the pending mouse event: returns 1 (left button), 4 (wheel up), 5 (wheel down) or 0, with its cell.
static inline int squall_get_mouse(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *x = event.x;
    *y = event.y;
    if (event.bstate & (BUTTON4_PRESSED)) return 4;
    if (event.bstate & (BUTTON5_PRESSED)) return 5;
    if (event.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return 1;
    return 0;
}

/// Whether the locale's character set is UTF-8.
static inline int squall_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

// The state the signal handlers share with the functions below. Weak definitions with external linkage, never
// `static`: Swift emits this header's static inline functions into every object file that calls them (in a
// release build, one object per Swift source file, and inlining moves calls across files), and each object would
// get its own copy of a `static` variable, so the handler set a flag that the input loop never read (SIGTERM
// and SIGHUP were ignored, and a hung-up terminal left squall-top spinning). The linker keeps one copy of each.
// Every one has an initializer: Swift emits only what is referenced, and a weak tentative definition (no
// initializer) would end up an undefined weak symbol, at address 0.
__attribute__((weak)) volatile sig_atomic_t squall_pending_signal = 0;
__attribute__((weak)) volatile sig_atomic_t squall_curses_active = 0;
__attribute__((weak)) volatile sig_atomic_t squall_termios_saved = 0;
__attribute__((weak)) struct termios squall_termios_before_curses = {0};

/// The terminal's settings from before curses started, for the crash handler.
static inline struct termios *squall_saved_termios(void) { return &squall_termios_before_curses; }

static void squall_on_crash(int sig) {
    // Put the terminal back before dying, so the shell is usable and the crash message readable. Only
    // async-signal-safe calls here: endwin() may allocate or take locks the interrupted thread holds, and a
    // crash handler that deadlocks leaves the terminal wrecked and the process hanging.
    if (squall_curses_active) {
        // Leave the alternate screen, show the cursor, reset attributes, stop mouse reporting.
        static const char reset[] = "\033[0m\033[?1000l\033[?1002l\033[?1006l\033[?25h\033[?1049l\r\n";
        ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1);
        (void)ignored;
        if (squall_termios_saved) tcsetattr(STDIN_FILENO, TCSANOW, squall_saved_termios());
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void squall_on_quit_signal(int sig) { squall_pending_signal = sig; }

static const int squall_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGINT, SIGTERM, SIGHUP};
#define SQUALL_SIGNAL_COUNT (int)(sizeof(squall_signals) / sizeof(squall_signals[0]))

/// The handlers replaced (one weak array for the whole process, see squall_pending_signal).
__attribute__((weak)) struct sigaction squall_replaced_actions[SQUALL_SIGNAL_COUNT] = {{0}};

/// Storage for the handlers replaced.
static inline struct sigaction *squall_saved_actions(void) { return squall_replaced_actions; }

/// Installs handlers: crash signals restore the terminal then die as before; SIGINT/SIGTERM/SIGHUP are noted
/// for the input loop (see squall_take_signal) so it can quit cleanly. The previous handlers are kept for
/// squall_restore_signal_handlers (a server in the same process gets its own back).
static inline void squall_install_signal_handlers(void) {
    squall_termios_saved = tcgetattr(STDIN_FILENO, squall_saved_termios()) == 0;
    for (int i = 0; i < SQUALL_SIGNAL_COUNT; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        sigemptyset(&action.sa_mask);
        int sig = squall_signals[i];
        int crash = sig != SIGINT && sig != SIGTERM && sig != SIGHUP;
        action.sa_handler = crash ? squall_on_crash : squall_on_quit_signal;
        sigaction(sig, &action, &squall_saved_actions()[i]);
    }
}

/// Puts back the handlers squall_install_signal_handlers replaced.
static inline void squall_restore_signal_handlers(void) {
    for (int i = 0; i < SQUALL_SIGNAL_COUNT; i++) {
        sigaction(squall_signals[i], &squall_saved_actions()[i], NULL);
    }
}

/// Marks whether curses owns the terminal (so crash handlers know to call endwin).
static inline void squall_set_curses_active(int active) { squall_curses_active = active; }

/// The last quit signal received (0: none), cleared.
static inline int squall_take_signal(void) {
    int s = squall_pending_signal;
    squall_pending_signal = 0;
    return s;
}

#endif
