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
  lns  - the whole string
  word - word (lead:lens): one word node whose leading separator is LEAD,
         for bash arrays: unquoted ( ) < > ; & | ` end a word there, and a
         word may not start with # (that is a comment in an array)
*)
module AuroraArgs =

(* Pieces of a word; UQ is the class of unquoted characters *)
let esc = /\\\\[^\n]/
let dq  = /"([^"\\\\]|\\\\(.|\n))*"/
let sq  = /'[^']*'/

(* Node bodies for words made of unquoted characters UQ.  A word that is
   not a flag is "-" alone or starts with
     a quote or escape, maybe after "-" or "-name";
     a character of FIRST (UQ without "-");
     "-" and a character that cannot start a name;
     "-name" and a character that can neither continue it nor be "=".
   These are told apart from flags by their first characters, so no
   regexp difference over whole words is needed (those make typechecking
   explode), and the regexps stay small (they are compiled at every
   aug_text_retrieve). *)
let rest (uq:regexp) = (uq | esc | dq | sq)*

let flag (uq:regexp) =
  del "-" "-" . key /[a-z][a-z0-9_]*/ . (del "=" "=" . store (rest uq))?

let arg (uq:regexp) (first:regexp) =
  let dash_name = /(-([a-z][a-z0-9_]*)?)?/ in
  let head =
      dash_name . (esc | dq | sq)
    | first
    | "-" . (uq - /[a-z]/)
    | /-[a-z][a-z0-9_]*/ . (uq - /[a-z0-9_=]/) in
  label "#arg" . store (head . rest uq | "-")

let mkword (uq:regexp) (first:regexp) (lead:lens) =
  [ lead . flag uq ] | [ lead . arg uq first ]

(* bash array words *)
let sh_uq = /[^ \t\n"'\\\\()<>;&|`]/
let word = mkword sh_uq (sh_uq - /[-#]/)

(* Command line: each word but the first owns the separator before it *)
let ws = /([ \t]|\\\\\n)*/
let sep = /([ \t]|\\\\\n)+/
let cmd_uq = /[^ \t\n"'\\\\]/
let cmd_word = mkword cmd_uq (cmd_uq - /-/)

let lns =
  del ws "" . (cmd_word (del "" "") . (cmd_word (del sep " "))* . del ws "")?
