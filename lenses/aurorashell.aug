(*
Module: AuroraShell
  Shell variable files of the Aurora packages: Debian
  /etc/default/aurora-scheduler and RPM /etc/sysconfig/aurora-scheduler.
  Applied by name (no autoload).  Every line must end in "\n".
  For files without bash arrays AuroraDefault gives the same visible tree,
  five times faster.

Tree:
  # text              { "#comment" = "text" }  (blanks around text dropped)
  #                   { "#comment" }           (nothing after the #)
  blank lines         no node; kept with the node that follows them
  NAME=value          { "NAME" = "value" }     value raw, quotes included:
                      "example"  8081  '-Dx=/usr/lib'  ""  "zk://${ZK}/m"
  NAME=               { "NAME" = "" }
  export NAME=v       { "NAME" = "v" { "@export" } }
  NAME=( ... )        { "NAME" ... }  NO value; one child per array word,
                      as AuroraArgs makes them (flag or #arg):
                        -cluster_name='example'  { "cluster_name" = "'example'" }
                        -server                  { "server" }
                        -Dx='/usr/lib;/lib64'    { "#arg" = "-Dx='/usr/lib;/lib64'" }
                      and { "#comment" = "text" } / { "#comment" } for
                      comments inside the array
  NAME is /[A-Za-z_][A-Za-z0-9_]*/.  A trailing " # comment" after a
  value or after ")" is kept as written but not shown in the tree.
  "@export" cannot clash with a word of an array ("-export" is "export").

  A scalar always has a value (maybe ""), an array never has one and has
  at least one child, so "X=()" does not parse.  When writing, the
  children decide: a node with children is written as an array (a value
  it has is ignored), one without as a scalar (it needs a value).
  Other shell (commands, if/fi, $(...) with blanks, unquoted blanks in a
  value) does not parse.  A file of blank lines only has an empty tree,
  for which Augeas writes nothing.

  Inside an array each child owns the whitespace before it, so edits keep
  the layout of the others; a new element is written on a line of its own
  indented by two spaces.
*)
module AuroraShell =

(* Regexps are written out by hand and lenses built once and shared:
   see tests/test_aurorashell.aug for why *)

(* "#" comment text up to, not including, the end of the line *)
let comment_body =
  label "#comment" . del "#" "#"
  . (del /[ \t]*/ " " . store /[^ \t\n]([^\n]*[^ \t\n])?/)?
  . del /[ \t]*/ ""

(* Blank lines and indentation before a line *)
let lead = del /([ \t]*\n)*[ \t]*/ ""

let comment = [ lead . comment_body . del "\n" "\n" ]

(* A scalar value: a shell word of unquoted characters, \x escapes,
   "..." (\x escapes inside, may span lines) and '...'; "(" cannot start
   it.  Keep in sync with AuroraDefault.value. *)
let value = store
  /(([^\t\n "'(\\\\]|\\\\[^\n]|"([^"\\\\]|\\\\(.|\n))*"|'[^']*')([^\t\n "'\\\\]|\\\\[^\n]|"([^"\\\\]|\\\\(.|\n))*"|'[^']*')*)?/

(* Array words, as in AuroraArgs but unquoted ( ) < > ; & | ` end a word,
   and # cannot start one.  A word that is not a flag -name[=value] is "-"
   alone or starts with a quote or escape (maybe after "-" or "-name"), a
   character other than "-" and "#", "-" and a character other than a-z,
   or "-name" and a character other than a-z 0-9 _ = *)
let word_rest = /([^ \t\n"'\\\\()<>;&|`]|\\\\[^\n]|"([^"\\\\]|\\\\(.|\n))*"|'[^']*')*/
let flag = del "-" "-" . key /[a-z][a-z0-9_]*/ . (del "=" "=" . store word_rest)?
let arg = label "#arg" . store
  /((-([a-z][a-z0-9_]*)?)?(\\\\[^\n]|"([^"\\\\]|\\\\(.|\n))*"|'[^']*')|[^ \t\n"'\\\\()<>;&|`#-]|-[^ \t\n"'\\\\()<>;&|`a-z]|-[a-z][a-z0-9_]*[^ \t\n"'\\\\()<>;&|`a-z0-9_=])([^ \t\n"'\\\\()<>;&|`]|\\\\[^\n]|"([^"\\\\]|\\\\(.|\n))*"|'[^']*')*|-/

(* Array.  Each child owns the blanks before it.  A comment runs to the
   end of its line, so what follows a comment starts with a newline
   (ws_nl); a word is followed by at least one blank (ws_sep); the first
   child may follow "(" directly (ws_any). *)
let ws_any = /([ \t\n]|\\\\\n)*/
let ws_sep = /([ \t\n]|\\\\\n)+/
let ws_nl  = /\n([ \t\n]|\\\\\n)*/

let elt (ws:regexp) =
  let l = del ws "\n  " in [ l . flag ] | [ l . arg ]
let comments (ws:regexp) =
  [ del ws "\n  " . comment_body ] . [ del ws_nl "\n  " . comment_body ]*

(* a word and the comments just before it *)
let unit (ws:regexp) = comments ws . elt ws_nl | elt ws

(* Two alternatives with their parentheses, rather than parentheses
   around a union: writing matches the elements once less *)
let array =
  let end_nl = del ws_nl "\n" in
  let tail = comments ws_sep . end_nl | del ws_any "\n" in
    del "(" "(" . unit ws_any . (unit ws_sep)* . tail . del ")" ")"
  | del "(" "(" . comments ws_any . end_nl . del ")" ")"

let export = [ label "@export" . del /export[ \t]+/ "export " ]

let eol = del /([ \t]+#.*|[ \t]*)\n/ "\n"

let assign =
  [ lead . export? . key /[A-Za-z_][A-Za-z0-9_]*/ . del "=" "="
    . (value | array) . eol ]

let lns = (comment | assign)* . del /([ \t]*\n)*/ ""
