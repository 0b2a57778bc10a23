#!/bin/bash
# tree-sitter-bash misreads these lines; the fallback still sees the rm.
cat <<'EOF'; rm -rf ../after-heredoc  # expect: rm-parent-path
rm -rf ../inside-heredoc-is-text
EOF
cat <<A <<B; rm -rf ../after-two-heredocs  # expect: rm-parent-path
first body: rm -rf ../text
A
rm -rf ../second-body-is-text
B
