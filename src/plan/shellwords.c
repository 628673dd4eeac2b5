/*
 * shellwords: a test's command from a shell string, and back for display.
 *
 * A command without shell syntax is split into words and executed
 * directly, not under /bin/sh -c, so a test killed by a signal is seen as
 * a crash (dash does not exec the last command of -c); a leading "exec"
 * is dropped for the same reason (plan.c rule 2).  An argv is shown with
 * shell quoting where a word needs it, so it reads back as the same words.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/util.h"
#include "plan/plan.h"
#include "plan/plan_source.h"

/*
 * First words that /bin/sh gives a meaning of its own (reserved words and
 * builtins without a program of the same name), so a command starting with
 * one cannot be executed directly.
 */
static const char *const shell_words[] = {
	".", ":", "alias", "bg", "break", "case", "cd", "command", "continue",
	"do", "done", "elif", "else", "esac", "eval", "exec", "exit", "export",
	"fc", "fg", "fi", "for", "function", "getopts", "hash", "if", "in",
	"jobs", "local", "read", "readonly", "return", "select", "set",
	"shift", "source", "then", "time", "times", "trap", "type", "ulimit",
	"umask", "unalias", "unset", "until", "wait", "while", NULL
};

/* Whether c can appear in a command run without a shell (compared, not
 * looked up with strchr: every byte of every command of a plan). */
static int
plain_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '@' || c == '%' ||
	    c == '+' || c == '=' || c == ':' || c == ',' || c == '.' ||
	    c == '/' || c == '-';
}

/* Whether word looks like "NAME=..." (the shell takes it as a variable). */
static int
assignment(const char *word)
{
	const char *p = word;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    *p == '_'))
		return 0;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	return *p == '=';
}

/* Whether word, first in a command, means something only to the shell. */
static int
shell_first_word(const char *word)
{
	size_t i;

	if (word[0] == '-' || assignment(word))
		return 1;
	/* The first byte rules out most: a plan of a million tests asks
	 * this a million times. */
	for (i = 0; shell_words[i] != NULL; i++) {
		if (word[0] == shell_words[i][0] &&
		    strcmp(word, shell_words[i]) == 0)
			return 1;
	}
	return 0;
}

/* Split a command without shell syntax into words, dropping a leading
 * "exec"; leaves words empty when the shell is needed after all. */
static int
plain_words(const char *shell, struct plan_vec *words)
{
	const char *p;
	size_t len;

	for (p = shell; *p != '\0'; p++) {
		if (!plain_char(*p) && *p != ' ' && *p != '\t')
			return 0;
	}
	for (p = shell; *p != '\0'; p += len) {
		p += strspn(p, " \t");
		if ((len = strcspn(p, " \t")) == 0)
			break;
		if (plan_vec_push(words, strndup(p, len)) == -1)
			return -1;
	}
	if (words->n > 1 && strcmp(words->v[0], "exec") == 0) {
		free(words->v[0]);
		memmove(words->v, words->v + 1, words->n * sizeof *words->v);
		words->n--;
	}
	if (words->n > 0 && shell_first_word(words->v[0]))
		plan_vec_clear(words);
	return 0;
}

/* Set a test's command from a shell string, run directly when it can be. */
int
plan_set_command(struct prun_test *t, const char *shell,
    struct prun_error *err)
{
	struct plan_vec words = { NULL, 0, 0 };
	char *command, buf[NAME_SHOWN];

	if (shell[strspn(shell, LIST_SPACE "\n")] == '\0') {
		return prun_error_set(err, PRUN_EXIT_USAGE,
		    "%s: test '%s': empty command",
		    t->origin ? t->origin : "plan",
		    plan_shown(t->name ? t->name : "", buf, sizeof buf));
	}
	if ((command = strdup(shell)) == NULL)
		return plan_nomem(err);
	if (plain_words(shell, &words) == -1)
		goto fail;
	if (words.n == 0) {
		if (plan_vec_push(&words, strdup("/bin/sh")) == -1 ||
		    plan_vec_push(&words, strdup("-c")) == -1 ||
		    plan_vec_push(&words, strdup(shell)) == -1)
			goto fail;
	}
	free(t->command);
	strv_free(t->argv);
	t->command = command;
	t->argv = plan_vec_transfer(&words);
	return 0;

fail:
	plan_vec_clear(&words);
	free(command);
	return plan_nomem(err);
}

/* Whether argv ends with the /bin/sh -c COMMAND plan_set_command made. */
int
plan_uses_shell(const struct prun_test *t)
{
	size_t n = strv_len(t->argv);

	return t->command != NULL && n >= 3 &&
	    strcmp(t->argv[n - 3], "/bin/sh") == 0 &&
	    strcmp(t->argv[n - 2], "-c") == 0 &&
	    strcmp(t->argv[n - 1], t->command) == 0;
}

/* Set a test's command from an argv array, run without a shell. */
int
plan_set_argv(struct prun_test *t, char *const *argv, struct prun_error *err)
{
	char **copy, buf[NAME_SHOWN];

	if (argv == NULL || argv[0] == NULL || argv[0][0] == '\0') {
		return prun_error_set(err, PRUN_EXIT_USAGE,
		    "%s: test '%s': empty command",
		    t->origin ? t->origin : "plan",
		    plan_shown(t->name ? t->name : "", buf, sizeof buf));
	}
	if (strv_copy(argv, &copy) == -1)
		return plan_nomem(err);
	free(t->command);
	strv_free(t->argv);
	t->command = NULL;
	t->argv = copy;
	return 0;
}

/* Whether a word of an argv must be quoted to read back as one word. */
static int
needs_quotes(const char *word, int first)
{
	const char *p;

	if (*word == '\0' || (first && shell_first_word(word)))
		return 1;
	for (p = word; *p != '\0'; p++) {
		if (!plain_char(*p))
			return 1;
	}
	return 0;
}

/* The command as one display string; NULL when out of memory. */
char *
plan_command_string(const struct prun_test *t)
{
	const char *p;
	size_t i, len;
	char *s, *o;

	if (t->command != NULL)
		return strdup(t->command);
	if (t->argv == NULL)
		return strdup("");
	/* Each ' becomes '\'' (4 bytes); each word adds quotes and a space. */
	for (len = 1, i = 0; t->argv[i] != NULL; i++)
		len += 4 * strlen(t->argv[i]) + 3;
	if ((s = malloc(len)) == NULL)
		return NULL;
	for (o = s, i = 0; t->argv[i] != NULL; i++) {
		if (i > 0)
			*o++ = ' ';
		if (!needs_quotes(t->argv[i], i == 0)) {
			o = stpcpy(o, t->argv[i]);
			continue;
		}
		*o++ = '\'';
		for (p = t->argv[i]; *p != '\0'; p++) {
			if (*p == '\'')
				o = stpcpy(o, "'\\''");
			else
				*o++ = *p;
		}
		*o++ = '\'';
	}
	*o = '\0';
	return s;
}
