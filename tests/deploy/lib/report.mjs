// Collects the problems a check finds and ends the process the way ctest reads it: one line per
// problem on stderr and exit 1, or a one-line summary and exit 0.
export function createReport(check) {
  const problems = [];
  return {
    fail(where, message) {
      problems.push(`${where}: ${message}`);
    },
    finish(summary) {
      if (problems.length > 0) {
        for (const problem of problems) console.error(`FAIL ${check}: ${problem}`);
        console.error(`${check}: ${problems.length} problem(s)`);
        process.exit(1);
      }
      console.log(`ok ${check}: ${summary}`);
    },
  };
}
