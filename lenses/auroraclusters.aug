(*
Module: AuroraClusters
  clusters.json of the Aurora client; applied by name (no autoload).  Same
  visible tree as Json.lns, same parse errors ("Syntax error" at the same
  line and char, or at the first of the blanks before it), in-place edits
  written byte for byte alike, at a fifth of the cost (see
  tests/test_auroraclusters.aug).

Tree (as Json.lns):
  [ {...}, {...} ]       { "array" { "dict" ... } { "dict" ... } }
  { "c1": {...}, ... }   { "dict" { "entry" = "c1" { "dict" ... } } ... }
  "key": "text"          { "entry" = "key" { "string" = "text" } }
  "key": -1.5e3          { "entry" = "key" { "number" = "-1.5e3" } }
  "key": true            { "entry" = "key" { "const" = "true" } }  (false, null)
  Keys and strings are stored JSON-escaped, without their quotes.  Objects
  may hold objects; the file may be one object or a scalar.  Not read (a
  parse error, unlike Json.lns): comments, {} and [], arrays of anything
  but objects.  Whitespace is JSON's four: space, tab, CR and LF (Json.lns
  leaves out CR).  Json.lns also makes hidden (label-less) nodes for newlines;
  this lens does not.

Writing: a changed value or a renamed entry (the "entry" node's value) keeps
  the layout byte for byte.  A removed entry takes its own text along (its
  line, when entries are one a line), nothing else.  A new entry is written
  , "key": "value" after the last one, on its line.  Always valid JSON.
*)
module AuroraClusters =

(* Whitespace goes with the token after it when that is "," "}" or "]",
   and with the token before it otherwise: removing an entry then takes
   exactly its own text (its line, in a file with one entry a line), and
   the text of its neighbours stays as it was *)
let ws = del /[ \t\r\n]*/ ""
let quote = del "\"" "\""
(* JSON-escaped text between quotes, as Json.lns accepts it; one lens for
   keys and strings *)
let text = store /([^\\\\"]|\\\\["\/bfnrtu\\\\])*/
let comma = del /[ \t\r\n]*,[ \t\r\n]*/ ", "

let scalar =
    [ label "string" . quote . text . quote ]
  | [ label "number" . store /-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/ ]
  | [ label "const" . store /true|false|null/ ]

let json (value:lens) =
  let entry =
    [ label "entry" . quote . text . del /"[ \t\r\n]*:[ \t\r\n]*/ "\": "
      . value ] in
  let obj =
    [ label "dict" . del /\{[ \t\r\n]*/ "{"
      . entry . (comma . entry)* . del /[ \t\r\n]*\}/ "}" ] in
  let array =
    [ label "array" . del /\[[ \t\r\n]*/ "["
      . obj . (comma . obj)* . del /[ \t\r\n]*\]/ "]" ] in
  obj | array | scalar

let rec value = json value

let lns = ws . value . ws
