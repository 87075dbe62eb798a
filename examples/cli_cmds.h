/*
 * Commands of the fisc command-line tool that live outside fisc.c. Each takes the command's
 * arguments (argv[0] is the command name) and returns the exit status. Not part of the library API.
 */
#ifndef FISC_CLI_CMDS_H
#define FISC_CLI_CMDS_H

/* fisc estimate FACTS.json (--year Y | --quarter YYYYQn) ...: cmd_policy.c */
int cmd_estimate(int argc, char **argv);
/* fisc params ...: cmd_policy.c */
int cmd_params(int argc, char **argv);
/* fisc policy check FILE...: cmd_policy.c */
int cmd_policy(int argc, char **argv);
/* fisc agreement check|evaluate|schedule FILE ...: cmd_agreement.c */
int cmd_agreement(int argc, char **argv);
/* fisc batch INPUT (--year Y | --quarter YYYYQn) ...: cmd_batch.c */
int cmd_batch(int argc, char **argv);
/* fisc report FACTS.json -o report.html ...: cmd_report.c */
int cmd_report(int argc, char **argv);
/* fisc whatif INPUT --overlay O (--year Y | --quarter YYYYQn) ...: cmd_whatif.c */
int cmd_whatif(int argc, char **argv);

#endif
