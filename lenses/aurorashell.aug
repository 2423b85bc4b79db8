(*
Module: AuroraShell
  Shell variable files of the Aurora packages: Debian
  /etc/default/aurora-scheduler and RPM /etc/sysconfig/aurora-scheduler.
  Applied by name (no autoload).  Every line must end in "\n".

Tree:
  # text              { "#comment" = "text" }  (blanks around text dropped)
  #                   { "#comment" }           (nothing after the #)
  blank lines         no node; kept with the node that follows them
  NAME=value          { "NAME" = "value" }     value raw, quotes included:
                      "example"  8081  '-Dx=/usr/lib'  ""  "zk://${ZK}/m"
  NAME=               { "NAME" = "" }
  export NAME=v       { "NAME" = "v" { "@export" } }
  NAME=( ... )        { "NAME" ... }  NO value; one child per array word,
                      made by AuroraArgs.word:
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

(* "#" comment text up to, not including, the end of the line *)
let comment_body =
  label "#comment" . del "#" "#"
  . (del /[ \t]*/ " " . store /[^ \t\n](.*[^ \t\n])?/)?
  . del /[ \t]*/ ""

(* Blank lines and indentation before a line *)
let lead = del /([ \t]*\n)*[ \t]*/ ""

let comment = [ lead . comment_body . del "\n" "\n" ]

(* A scalar value: a shell word; "(" cannot start it *)
let value =
  let uq = /[^ \t\n"'\\\\]/ in
  let quoted = /\\\\[^\n]/ | /"([^"\\\\]|\\\\(.|\n))*"/ | /'[^']*'/ in
  store (((uq - /[(]/) | quoted) . (uq | quoted)*)?

(* Array.  Each child owns the blanks before it.  A comment runs to the
   end of its line, so what follows a comment starts with a newline
   (ws_nl); a word is followed by at least one blank (ws_sep); the first
   child may follow "(" directly (ws_any). *)
let ws_any = /([ \t\n]|\\\\\n)*/
let ws_sep = /([ \t\n]|\\\\\n)+/
let ws_nl  = /\n([ \t\n]|\\\\\n)*/

let elt (ws:regexp) = AuroraArgs.word (del ws "\n  ")
let comments (ws:regexp) =
  [ del ws "\n  " . comment_body ] . [ del ws_nl "\n  " . comment_body ]*

(* a word and the comments just before it *)
let unit (ws:regexp) = comments ws . elt ws_nl | elt ws

let array =
  let end_nl = del ws_nl "\n" in
  let tail = comments ws_sep . end_nl | del ws_any "\n" in
  del "(" "("
  . (unit ws_any . (unit ws_sep)* . tail | comments ws_any . end_nl)
  . del ")" ")"

let export = [ label "@export" . del /export[ \t]+/ "export " ]

let eol = del /([ \t]+#.*|[ \t]*)\n/ "\n"

let assign =
  [ lead . export? . key /[A-Za-z_][A-Za-z0-9_]*/ . del "=" "="
    . (value | array) . eol ]

let lns = (comment | assign)* . del /([ \t]*\n)*/ ""
