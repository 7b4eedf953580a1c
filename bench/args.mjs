// The positional numeric arguments of a bench script: `--help` prints the usage, anything that is
// not a number (or one argument too many) is refused with it, exit 2, before any work starts.
export function numbers(usage, defaults) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`usage: ${usage}`);
    process.exit(0);
  }
  const refuse = (why) => {
    console.error(`${why}\nusage: ${usage}`);
    process.exit(2);
  };
  if (args.length > defaults.length) refuse(`unexpected argument ${args[defaults.length]}`);
  return defaults.map((fallback, i) => {
    if (args[i] === undefined) return fallback;
    const value = Number(args[i]);
    if (!Number.isFinite(value) || value < 0) refuse(`${args[i]} is not a number`);
    return value;
  });
}
