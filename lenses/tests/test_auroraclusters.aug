(*
  Tests for AuroraClusters, and why it is built as it is.

  Cost (aug_text_store + aug_text_retrieve of a 200-byte clusters.json,
  first call, lens loading included, valgrind instruction counts):
  Json.lns 41 M (it loads Util, Sep, Rx, Quote and Build: 25 M before
  reading a byte), AuroraClusters about 7 M.
  - It is a recursive lens, like Json.lns: Augeas parses those with its
    Earley parser, matching only the small regexps of the tokens.  A
    regular lens for the same files compiles regexps that hold every
    entry about 8 times over (each list is "x (, x)*", and lists nest),
    and compiling those alone costs more (a flat version: 10-18 M).
  - The quote before a key is a token of its own, so parse errors point
    where Json.lns points (but at the first blank of blanks before the
    error, where Json.lns points after them).  Blanks go with a following
    "," "}" or "]": removing an entry takes out its own line and changes
    no other, so aurora-restore's three-way revert can merge the text.
  - {} and [] cost 1.1 M more (a union inside "dict"), so they are left
    out: no real clusters.json has them.  The "let rec" itself costs
    about 1 M (Augeas builds its types and parser when loading it).
  - Comments are lexed at every load: about 125 instructions a character.
*)
module Test_auroraclusters =

let packaging = "[
  {
    \"auth_mechanism\": \"UNAUTHENTICATED\",
    \"name\": \"example\",
    \"zk\": \"127.0.0.1\"
  }
]
"

test AuroraClusters.lns get packaging =
  { "array"
    { "dict"
      { "entry" = "auth_mechanism" { "string" = "UNAUTHENTICATED" } }
      { "entry" = "name" { "string" = "example" } }
      { "entry" = "zk" { "string" = "127.0.0.1" } } } }

(* The edit aurora-restore makes: keeps every byte around it *)
test AuroraClusters.lns put packaging after
  set "/array/dict/entry[. = 'zk']" "scheduler_uri";
  set "/array/dict/entry[. = 'scheduler_uri']/string" "http://a.example.com:8081"
  = "[
  {
    \"auth_mechanism\": \"UNAUTHENTICATED\",
    \"name\": \"example\",
    \"scheduler_uri\": \"http://a.example.com:8081\"
  }
]
"

(* ... and its undoing *)
test AuroraClusters.lns put packaging after
  set "/array/dict/entry[. = 'name']/string" "other"
  = "[
  {
    \"auth_mechanism\": \"UNAUTHENTICATED\",
    \"name\": \"other\",
    \"zk\": \"127.0.0.1\"
  }
]
"

(* New and removed entries: valid JSON *)
test AuroraClusters.lns put packaging after
  set "/array/dict/entry[last()+1]" "scheduler_uri";
  set "/array/dict/entry[last()]/string" "http://a:1"
  = "[
  {
    \"auth_mechanism\": \"UNAUTHENTICATED\",
    \"name\": \"example\",
    \"zk\": \"127.0.0.1\", \"scheduler_uri\": \"http://a:1\"
  }
]
"

test AuroraClusters.lns put packaging after
  rm "/array/dict/entry[. = 'zk']"
  = "[
  {
    \"auth_mechanism\": \"UNAUTHENTICATED\",
    \"name\": \"example\"
  }
]
"

(* Removing an entry in the middle takes out its line, nothing else *)
test AuroraClusters.lns put packaging after
  rm "/array/dict/entry[. = 'name']"
  = "[
  {
    \"auth_mechanism\": \"UNAUTHENTICATED\",
    \"zk\": \"127.0.0.1\"
  }
]
"

test AuroraClusters.lns put packaging after
  rm "/array/dict/entry[1]"
  = "[
  {
    \"name\": \"example\",
    \"zk\": \"127.0.0.1\"
  }
]
"

(* vagrant layout, no final newline *)
test AuroraClusters.lns get "[{
  \"name\": \"devcluster\",
  \"zk\": \"192.168.33.7\"
}]" =
  { "array"
    { "dict"
      { "entry" = "name" { "string" = "devcluster" } }
      { "entry" = "zk" { "string" = "192.168.33.7" } } } }

(* Clusters by name, compact, several clusters *)
test AuroraClusters.lns get "{\"a\":{\"name\":\"a\"},\"b\" :{ \"name\" : \"b\" }}" =
  { "dict"
    { "entry" = "a" { "dict" { "entry" = "name" { "string" = "a" } } } }
    { "entry" = "b" { "dict" { "entry" = "name" { "string" = "b" } } } } }

test AuroraClusters.lns get "[{\"a\":1},{\"b\":2}]" =
  { "array"
    { "dict" { "entry" = "a" { "number" = "1" } } }
    { "dict" { "entry" = "b" { "number" = "2" } } } }

(* Scalars; strings stay escaped *)
test AuroraClusters.lns get "[{\"n\": -1.5e3, \"t\": true, \"f\": false,
 \"z\": null, \"s\": \"a\\\"b\\\\c\\u00e9\\/\", \"k\\\"\": \"\"}]" =
  { "array"
    { "dict"
      { "entry" = "n" { "number" = "-1.5e3" } }
      { "entry" = "t" { "const" = "true" } }
      { "entry" = "f" { "const" = "false" } }
      { "entry" = "z" { "const" = "null" } }
      { "entry" = "s" { "string" = "a\\\"b\\\\c\\u00e9\\/" } }
      { "entry" = "k\\\"" { "string" = "" } } } }

test AuroraClusters.lns put "[{\"a\": \"x\"}]" after
  set "/array/dict/entry/string" "a\\\"b"
  = "[{\"a\": \"a\\\"b\"}]"

(* CR LF line ends (JSON whitespace): read, and kept on an edit *)
test AuroraClusters.lns put "[{\r\n  \"name\": \"x\",\r\n  \"zk\": \"y\"\r\n}]\r\n" after
  set "/array/dict/entry[. = 'zk']" "scheduler_uri" ;
  set "/array/dict/entry[. = 'scheduler_uri']/string" "http://h:1"
  = "[{\r\n  \"name\": \"x\",\r\n  \"scheduler_uri\": \"http://h:1\"\r\n}]\r\n"

(* Objects in objects *)
test AuroraClusters.lns get "[{\"a\": {\"b\": \"c\"}}]" =
  { "array"
    { "dict" { "entry" = "a" { "dict" { "entry" = "b" { "string" = "c" } } } } } }

(* Not JSON, or not a clusters file *)
test AuroraClusters.lns get "[{\"name\": \"x\",}]" = *
test AuroraClusters.lns get "[{\"name\": \"x\"},]" = *
test AuroraClusters.lns get "{\"a\": {\"name\": \"x\"},}" = *
test AuroraClusters.lns get "[{'name': 'x'}]" = *
test AuroraClusters.lns get "[{\"name\": \"x\" \"zk\": \"y\"}]" = *
test AuroraClusters.lns get "[{\"name\": \"a\\x\"}]" = *
test AuroraClusters.lns get "[{\"a\": [1, 2]}]" = *
test AuroraClusters.lns get "[]" = *
test AuroraClusters.lns get "" = *
