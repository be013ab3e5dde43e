/* The dependency floor for a tool built on this libgit2: initialise libgit2, open the
 * repository, resolve two revisions and print the names of the files that differ between
 * their trees (what `git diff --name-only BASE HEAD` prints). bench/run builds it with cc and
 * pkg-config; the benchmark compares mlci's fixed costs with this program's. */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>

static void check(int code, const char *what) {
    if (code < 0) {
        const git_error *e = git_error_last();
        fprintf(stderr, "floor: %s: %s\n", what, e ? e->message : "error");
        exit(1);
    }
}

static git_tree *tree_of(git_repository *repo, const char *rev) {
    git_object *object = NULL;
    git_tree *tree = NULL;
    check(git_revparse_single(&object, repo, rev), rev);
    check(git_object_peel((git_object **)&tree, object, GIT_OBJECT_TREE), rev);
    git_object_free(object);
    return tree;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: floor BASE HEAD\n");
        return 2;
    }
    git_libgit2_init();
    git_repository *repo = NULL;
    check(git_repository_open_ext(&repo, ".", 0, NULL), "opening the repository");
    git_tree *base = tree_of(repo, argv[1]), *head = tree_of(repo, argv[2]);
    git_diff *diff = NULL;
    check(git_diff_tree_to_tree(&diff, repo, base, head, NULL), "diff");
    size_t n = git_diff_num_deltas(diff);
    for (size_t i = 0; i < n; i++) {
        puts(git_diff_get_delta(diff, i)->new_file.path);
    }
    git_diff_free(diff);
    git_tree_free(base);
    git_tree_free(head);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return 0;
}
