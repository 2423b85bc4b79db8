(*
Module: AuroraArgs
  A command line held in a string: words separated by spaces, tabs and
  backslash-newline continuations, optional whitespace around them.
  Applied by name (no autoload) to the value of ExecStart=, upstart exec,
  EXTRA_SCHEDULER_ARGS (its quotes stripped) and the like.

  A word is a run of unquoted characters, backslash escapes, "double
  quoted" text (with \" escapes) and 'single quoted' text.

Tree (one node per word, in order):
  -name=value   { "name" = "value" }   value raw, quotes included:
                -x="--a b"  gives  { "x" = "\"--a b\"" }
  -name=        { "name" = "" }        empty value (set the value to "")
  -name         { "name" }             no value (NULL)
  anything else { "#arg" = "word" }    argv0, $VARS, --long, -Dx=y, -Xdebug
  where name is /[a-z][a-z0-9_]*/.

  Each node but the first owns the whitespace before it, so a deleted node
  takes its separator along and a new node is written after a single
  space.  Whitespace before the first word and after the last is kept.
  Augeas writes nothing at all for an empty tree, so a string of blanks
  alone, or one whose last word was removed, comes back as "".

Exports:
  lns  - the whole string (the words of bash arrays are in AuroraShell)
*)
module AuroraArgs =

(* Regexps are written out whole, lenses built once and shared: see
   tests/test_auroraargs.aug.  A word that is not a flag is "-" alone or
   starts with a quote or escape (maybe after "-" or "-name"), an unquoted
   character other than "-", "-" and one other than a-z, or "-name" and
   one other than a-z 0-9 _ =.  Telling words apart by their first
   characters needs no regexp difference (those make typechecking
   explode). *)
let flag = del "-" "-" . key /[a-z][a-z0-9_]*/
  . (del "=" "=" . store /([^ \t\n"'\\\\]|\\\\[^\n]|"([^"\\\\]|\\\\(.|\n))*"|'[^']*')*/)?
let arg = label "#arg" . store
  /((-([a-z][a-z0-9_]*)?)?(\\\\[^\n]|"([^"\\\\]|\\\\(.|\n))*"|'[^']*')|[^ \t\n"'\\\\-]|-[^ \t\n"'\\\\a-z]|-[a-z][a-z0-9_]*[^ \t\n"'\\\\a-z0-9_=])([^ \t\n"'\\\\]|\\\\[^\n]|"([^"\\\\]|\\\\(.|\n))*"|'[^']*')*|-/

(* Each word but the first owns the separator before it *)
let cmd_word (lead:lens) = [ lead . flag ] | [ lead . arg ]

let lns =
  del /([ \t]|\\\\\n)*/ ""
  . (cmd_word (del "" "") . (cmd_word (del /([ \t]|\\\\\n)+/ " "))*
     . del /([ \t]|\\\\\n)*/ "")?
