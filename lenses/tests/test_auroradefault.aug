(*
  Tests for AuroraDefault, and why blank lines are hidden nodes.

  Cost (aug_text_store + aug_text_retrieve of the Debian file, 2.3 kB,
  first call, lens loading included, valgrind instruction counts):
  AuroraShell 61 M before, AuroraDefault about 12 M.
  - Augeas matches a regexp with registers (subexpression positions) at
    about 1,100-1,700 instructions a character in glibc, against 100-300
    without.  It does so for every line, once when reading and again
    when writing (to find the old layout): that is about 6 M here, and
    what is left to spend.
  - A lens that is not a plain iteration ("lines* . trailing blank
    lines", as AuroraShell must be to give blank lines to the next node)
    is first matched as a whole, once more on writing, and its tree is
    matched as a whole on writing too: 3 more passes, about 10 M.  Hence
    a blank line is a node of its own (hidden, no label), and the lens is
    one iteration.
  - No bash arrays: they make the regexp of a line ten times longer.
  - A comment is two lenses (with text, without) rather than one with an
    optional part: writing a node whose layout has no optional part skips
    a regexp match.
  - Comments in the .aug files are lexed at every load: about 125
    instructions a character.
*)
module Test_AuroraDefault =

let lns = AuroraDefault.lns

(* /etc/default/aurora-scheduler of the Debian package: the same tree as
   AuroraShell, with a { } for each blank line *)
let debian = "#
# Licensed under the Apache License, Version 2.0 (the \"License\");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an \"AS IS\" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
#

# Defaults for Aurora startup

###
# Environment variables control the behavior of the Mesos scheduler driver (libmesos).
GLOG_v=0
LIBPROCESS_PORT=8083
#LIBPROCESS_IP=127.0.0.1
###

###
# Flags that control the behavior of the JVM.
#JAVA_OPTS='-Djava.library.path=/usr/local/lib -Dlog4j.configuration=\"file:///etc/zookeeper/conf/log4j.properties\"'
JAVA_OPTS='-Djava.library.path=/usr/local/lib'
###

AURORA_HOME=\"/var/lib/aurora\"

# Name of the cluster. Please change this.
CLUSTER_NAME=\"example\"

# Listening port for the scheduler
HTTP_PORT=8081

# Replicated log quorum size. Set to (floor(number_of_schedulers / 2) + 1)
QUORUM_SIZE=1

# List of zookeeper endpoints
ZK_ENDPOINTS=\"127.0.0.1:2181\"

# Zookeeper path or URL to mesos master
MESOS_MASTER=\"zk://${ZK_ENDPOINTS}/mesos\"

# Zookeeper ServerSet path to register at
ZK_SERVERSET_PATH=\"/aurora/scheduler\"

# Log path in zookeeper
ZK_LOGDB_PATH=\"/aurora/replicated-log\"

# Where to store the replicated log on disk
LOGDB_FILE_PATH=\"${AURORA_HOME}/scheduler/db\"

# Where to store backups on disk
BACKUP_DIR=\"${AURORA_HOME}/scheduler/backups\"

# Path (on the slave nodes) or URL to thermos executor or wrapper script
THERMOS_EXECUTOR_PATH=\"/usr/share/aurora/bin/thermos_executor.pex\"

# A comma seperated list of additional resources to copy into the sandbox.
# Note: if thermos_executor_path is not the thermos_executor.pex file itself,
# this must include it.
THERMOS_EXECUTOR_RESOURCES=\"\"

# Extra arguments to be passed to the thermos executor
THERMOS_EXECUTOR_FLAGS=\"--announcer-ensemble 127.0.0.1:2181\"

# Container types that are allowed to be used by jobs.
ALLOWED_CONTAINER_TYPES=\"MESOS,DOCKER\"

# Any args you want to add to the aurora-scheduler invocation:
EXTRA_SCHEDULER_ARGS=\"\"
"

test lns get debian =
  { "#comment" }
  { "#comment" = "Licensed under the Apache License, Version 2.0 (the \"License\");" }
  { "#comment" = "you may not use this file except in compliance with the License." }
  { "#comment" = "You may obtain a copy of the License at" }
  { "#comment" }
  { "#comment" = "http://www.apache.org/licenses/LICENSE-2.0" }
  { "#comment" }
  { "#comment" = "Unless required by applicable law or agreed to in writing, software" }
  { "#comment" = "distributed under the License is distributed on an \"AS IS\" BASIS," }
  { "#comment" = "WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied." }
  { "#comment" = "See the License for the specific language governing permissions and" }
  { "#comment" = "limitations under the License." }
  { "#comment" }
  { }
  { "#comment" = "Defaults for Aurora startup" }
  { }
  { "#comment" = "##" }
  { "#comment" = "Environment variables control the behavior of the Mesos scheduler driver (libmesos)." }
  { "GLOG_v" = "0" }
  { "LIBPROCESS_PORT" = "8083" }
  { "#comment" = "LIBPROCESS_IP=127.0.0.1" }
  { "#comment" = "##" }
  { }
  { "#comment" = "##" }
  { "#comment" = "Flags that control the behavior of the JVM." }
  { "#comment" = "JAVA_OPTS='-Djava.library.path=/usr/local/lib -Dlog4j.configuration=\"file:///etc/zookeeper/conf/log4j.properties\"'" }
  { "JAVA_OPTS" = "'-Djava.library.path=/usr/local/lib'" }
  { "#comment" = "##" }
  { }
  { "AURORA_HOME" = "\"/var/lib/aurora\"" }
  { }
  { "#comment" = "Name of the cluster. Please change this." }
  { "CLUSTER_NAME" = "\"example\"" }
  { }
  { "#comment" = "Listening port for the scheduler" }
  { "HTTP_PORT" = "8081" }
  { }
  { "#comment" = "Replicated log quorum size. Set to (floor(number_of_schedulers / 2) + 1)" }
  { "QUORUM_SIZE" = "1" }
  { }
  { "#comment" = "List of zookeeper endpoints" }
  { "ZK_ENDPOINTS" = "\"127.0.0.1:2181\"" }
  { }
  { "#comment" = "Zookeeper path or URL to mesos master" }
  { "MESOS_MASTER" = "\"zk://${ZK_ENDPOINTS}/mesos\"" }
  { }
  { "#comment" = "Zookeeper ServerSet path to register at" }
  { "ZK_SERVERSET_PATH" = "\"/aurora/scheduler\"" }
  { }
  { "#comment" = "Log path in zookeeper" }
  { "ZK_LOGDB_PATH" = "\"/aurora/replicated-log\"" }
  { }
  { "#comment" = "Where to store the replicated log on disk" }
  { "LOGDB_FILE_PATH" = "\"${AURORA_HOME}/scheduler/db\"" }
  { }
  { "#comment" = "Where to store backups on disk" }
  { "BACKUP_DIR" = "\"${AURORA_HOME}/scheduler/backups\"" }
  { }
  { "#comment" = "Path (on the slave nodes) or URL to thermos executor or wrapper script" }
  { "THERMOS_EXECUTOR_PATH" = "\"/usr/share/aurora/bin/thermos_executor.pex\"" }
  { }
  { "#comment" = "A comma seperated list of additional resources to copy into the sandbox." }
  { "#comment" = "Note: if thermos_executor_path is not the thermos_executor.pex file itself," }
  { "#comment" = "this must include it." }
  { "THERMOS_EXECUTOR_RESOURCES" = "\"\"" }
  { }
  { "#comment" = "Extra arguments to be passed to the thermos executor" }
  { "THERMOS_EXECUTOR_FLAGS" = "\"--announcer-ensemble 127.0.0.1:2181\"" }
  { }
  { "#comment" = "Container types that are allowed to be used by jobs." }
  { "ALLOWED_CONTAINER_TYPES" = "\"MESOS,DOCKER\"" }
  { }
  { "#comment" = "Any args you want to add to the aurora-scheduler invocation:" }
  { "EXTRA_SCHEDULER_ARGS" = "\"\"" }

(* Scalars: values raw; export; empty; trailing comments; blanks *)
test lns get "A=1\nexport B=\"x y\"\nexport\tC='z'\nD=\nE=\"\"  # none\n  F=${A}/b\\ c\"d\"'e' \n\n\n" =
  { "A" = "1" }
  { "B" = "\"x y\""
    { "@export" } }
  { "C" = "'z'"
    { "@export" } }
  { "D" = "" }
  { "E" = "\"\"" }
  { "F" = "${A}/b\\ c\"d\"'e'" }
  { }
  { }

(* Comments *)
test lns get "#!/bin/bash\n#\n  #   x  y  \n###\n#A=1\n \t#\t\n" =
  { "#comment" = "!/bin/bash" }
  { "#comment" }
  { "#comment" = "x  y" }
  { "#comment" = "##" }
  { "#comment" = "A=1" }
  { "#comment" }

(* A quoted value may span lines *)
test lns get "JAVA_OPTS=\"-Xmx1g\n  -Dx=y\"\n" = { "JAVA_OPTS" = "\"-Xmx1g\n  -Dx=y\"" }

(* Blank lines only *)
test lns get "\n  \n" = { } { }

(* Broken or unsupported input *)
test lns get "EXTRA_SCHEDULER_ARGS=\"-a=1\n" = *
test lns get "A='x\n" = *
test lns get "AURORA_FLAGS=(\n  -a=1\n)\n" = *
test lns get "X=(a)\n" = *
test lns get "A=1 2\n" = *
test lns get "echo hi\n" = *
test lns get "1A=x\n" = *
test lns get "A = 1\n" = *
test lns get "A=1" = *

(* Scalar edits *)
test lns put "A=1\nB=\"x\" # keep\n" after set "B" "\"y\"" = "A=1\nB=\"y\" # keep\n"
test lns put "A=1\nB=2\n" after set "A" "" = "A=\nB=2\n"
test lns put "A=1\n\n# b\nB=2\n" after rm "A" = "\n# b\nB=2\n"
test lns put "A=1\n\n# b\nB=2\n" after rm "#comment" = "A=1\n\nB=2\n"
test lns put "A=1\n" after set "EXTRA_SCHEDULER_ARGS" "\"-max_registration_delay=360mins\"" =
  "A=1\nEXTRA_SCHEDULER_ARGS=\"-max_registration_delay=360mins\"\n"
test lns put "A=1\n\n" after set "B" "2" = "A=1\n\nB=2\n"
test lns put "export A=1\n" after set "A" "2" = "export A=2\n"
test lns put "A=1\n" after clear "A/@export" = "export A=1\n"
test lns put "A=1\n" after set "A" "x y" = *
test lns put "A=1\n" after clear "A" = *
test lns put "A=1\n" after set "A/x" "1" = *
test lns put "#  a b \n# c\n" after set "#comment[1]" "d" ; clear "#comment[2]" ;
    set "#comment[3]" "e" = "#  d \n#\n# e\n"
