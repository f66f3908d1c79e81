// The alternate screen keeps the user's scrollback intact and is restored on exit, even a crash.
const ENTER = '\u001b[?1049h\u001b[H';
// Clearing before leaving: after a resize, tmux 3.2+ otherwise copies the view's last lines onto the shell's screen.
const LEAVE = '\u001b[2J\u001b[?1049l';

/** Runs a full-screen view on the terminal's alternate screen and always leaves it afterwards. */
export async function withAlternateScreen<T>(view: () => Promise<T>): Promise<T> {
  const stdout = process.stdout;
  stdout.write(ENTER);
  const leave = () => stdout.write(LEAVE);
  process.once('exit', leave);
  try {
    return await view();
  } finally {
    process.off('exit', leave);
    leave();
  }
}
