(* Tests for the AuroraShell lens

  Why it is written as it is (costs are valgrind instruction counts of
  aug_text_store + aug_text_retrieve, lens loading included):
  - Augeas compiles a regexp for nearly every lens combinator, each
    holding all the lenses below it, and matches several of them against
    every line with registers (1,100-2,000 instructions a character in
    glibc).  Hand-written regexps (one literal instead of | . * - over
    literals) have fewer parentheses and states: RPM file 115 M -> 84 M.
  - The array words are built once (flag, arg) and shared by every lead.
  - array is two alternatives with their parentheses, not parentheses
    around a union: writing matches the array's elements once less.
  - A recursive variant (parsed by Augeas's Earley parser, RPM 60 M) was
    left out: it needs a fake self-reference and Augeas's parser rejects
    "D=" (an empty value) there.
*)
module Test_AuroraShell =

let lns = AuroraShell.lns

(* /etc/default/aurora-scheduler of the Debian package *)
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
  { "#comment" = "Defaults for Aurora startup" }
  { "#comment" = "##" }
  { "#comment" = "Environment variables control the behavior of the Mesos scheduler driver (libmesos)." }
  { "GLOG_v" = "0" }
  { "LIBPROCESS_PORT" = "8083" }
  { "#comment" = "LIBPROCESS_IP=127.0.0.1" }
  { "#comment" = "##" }
  { "#comment" = "##" }
  { "#comment" = "Flags that control the behavior of the JVM." }
  { "#comment" = "JAVA_OPTS='-Djava.library.path=/usr/local/lib -Dlog4j.configuration=\"file:///etc/zookeeper/conf/log4j.properties\"'" }
  { "JAVA_OPTS" = "'-Djava.library.path=/usr/local/lib'" }
  { "#comment" = "##" }
  { "AURORA_HOME" = "\"/var/lib/aurora\"" }
  { "#comment" = "Name of the cluster. Please change this." }
  { "CLUSTER_NAME" = "\"example\"" }
  { "#comment" = "Listening port for the scheduler" }
  { "HTTP_PORT" = "8081" }
  { "#comment" = "Replicated log quorum size. Set to (floor(number_of_schedulers / 2) + 1)" }
  { "QUORUM_SIZE" = "1" }
  { "#comment" = "List of zookeeper endpoints" }
  { "ZK_ENDPOINTS" = "\"127.0.0.1:2181\"" }
  { "#comment" = "Zookeeper path or URL to mesos master" }
  { "MESOS_MASTER" = "\"zk://${ZK_ENDPOINTS}/mesos\"" }
  { "#comment" = "Zookeeper ServerSet path to register at" }
  { "ZK_SERVERSET_PATH" = "\"/aurora/scheduler\"" }
  { "#comment" = "Log path in zookeeper" }
  { "ZK_LOGDB_PATH" = "\"/aurora/replicated-log\"" }
  { "#comment" = "Where to store the replicated log on disk" }
  { "LOGDB_FILE_PATH" = "\"${AURORA_HOME}/scheduler/db\"" }
  { "#comment" = "Where to store backups on disk" }
  { "BACKUP_DIR" = "\"${AURORA_HOME}/scheduler/backups\"" }
  { "#comment" = "Path (on the slave nodes) or URL to thermos executor or wrapper script" }
  { "THERMOS_EXECUTOR_PATH" = "\"/usr/share/aurora/bin/thermos_executor.pex\"" }
  { "#comment" = "A comma seperated list of additional resources to copy into the sandbox." }
  { "#comment" = "Note: if thermos_executor_path is not the thermos_executor.pex file itself," }
  { "#comment" = "this must include it." }
  { "THERMOS_EXECUTOR_RESOURCES" = "\"\"" }
  { "#comment" = "Extra arguments to be passed to the thermos executor" }
  { "THERMOS_EXECUTOR_FLAGS" = "\"--announcer-ensemble 127.0.0.1:2181\"" }
  { "#comment" = "Container types that are allowed to be used by jobs." }
  { "ALLOWED_CONTAINER_TYPES" = "\"MESOS,DOCKER\"" }
  { "#comment" = "Any args you want to add to the aurora-scheduler invocation:" }
  { "EXTRA_SCHEDULER_ARGS" = "\"\"" }

(* /etc/sysconfig/aurora-scheduler of the RPM package *)
let rpm = "#!/bin/bash
# Configuration used when executing the Aurora task scheduler process.
#
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


GLOG_v=0
LIBPROCESS_PORT=8083
#LIBPROCESS_IP=127.0.0.1

# Flags that control the behavior of the JVM.
JAVA_OPTS=(
  # Uses server-level GC optimizations, as this is a server.
  -server

  # Location of libmesos-XXXX.so / libmesos-XXXX.dylib
  -Djava.library.path='/usr/lib;/usr/lib64'
)

# Flags control the behavior of the Aurora scheduler.
# For a full list of available flags, run /usr/lib/aurora/bin/aurora-scheduler -help
AURORA_FLAGS=(
  # The name of this cluster.
  -cluster_name='example'

  # The HTTP port upon which Aurora will listen.
  -http_port=8081

  # The ZooKeeper URL of the ZNode where the Mesos master has registered.
  -mesos_master_address='zk://127.0.0.1:2181/mesos'

  # The ZooKeeper quorum to which Aurora will register itself.
  -zk_endpoints='127.0.0.1:2181'

  # The ZooKeeper ZNode within the specified quorum to which Aurora will register its
  # ServerSet, which keeps track of all live Aurora schedulers.
  -serverset_path='/aurora/scheduler'

  # Allows the scheduling of containers of the provided type.
  -allowed_container_types='DOCKER,MESOS'

  ### Native Log Settings ###

  # The native log serves as a replicated database which stores the state of the
  # scheduler, allowing for multi-master operation.

  # Size of the quorum of Aurora schedulers which possess a native log.  If running in
  # multi-master mode, consult the following document to determine appropriate values:
  #
  # https://aurora.apache.org/documentation/latest/deploying-aurora-scheduler/#replicated-log-configuration
  -native_log_quorum_size='1'
  # The ZooKeeper ZNode to which Aurora will register the locations of its replicated log.
  -native_log_zk_group_path='/aurora/replicated-log'
  # The local directory in which an Aurora scheduler can find Aurora's replicated log.
  -native_log_file_path='/var/lib/aurora/scheduler/db'
  # The local directory in which Aurora schedulers will place state backups.
  -backup_dir='/var/lib/aurora/scheduler/backups'

  ### Thermos Settings ###

  # The local path of the Thermos executor binary.
  -thermos_executor_path='/usr/bin/thermos_executor'
  # Flags to pass to the Thermos executor.
  -thermos_executor_flags='--announcer-ensemble 127.0.0.1:2181'
)
"

test lns get rpm =
  { "#comment" = "!/bin/bash" }
  { "#comment" = "Configuration used when executing the Aurora task scheduler process." }
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
  { "GLOG_v" = "0" }
  { "LIBPROCESS_PORT" = "8083" }
  { "#comment" = "LIBPROCESS_IP=127.0.0.1" }
  { "#comment" = "Flags that control the behavior of the JVM." }
  { "JAVA_OPTS"
    { "#comment" = "Uses server-level GC optimizations, as this is a server." }
    { "server" }
    { "#comment" = "Location of libmesos-XXXX.so / libmesos-XXXX.dylib" }
    { "#arg" = "-Djava.library.path='/usr/lib;/usr/lib64'" } }
  { "#comment" = "Flags control the behavior of the Aurora scheduler." }
  { "#comment" = "For a full list of available flags, run /usr/lib/aurora/bin/aurora-scheduler -help" }
  { "AURORA_FLAGS"
    { "#comment" = "The name of this cluster." }
    { "cluster_name" = "'example'" }
    { "#comment" = "The HTTP port upon which Aurora will listen." }
    { "http_port" = "8081" }
    { "#comment" = "The ZooKeeper URL of the ZNode where the Mesos master has registered." }
    { "mesos_master_address" = "'zk://127.0.0.1:2181/mesos'" }
    { "#comment" = "The ZooKeeper quorum to which Aurora will register itself." }
    { "zk_endpoints" = "'127.0.0.1:2181'" }
    { "#comment" = "The ZooKeeper ZNode within the specified quorum to which Aurora will register its" }
    { "#comment" = "ServerSet, which keeps track of all live Aurora schedulers." }
    { "serverset_path" = "'/aurora/scheduler'" }
    { "#comment" = "Allows the scheduling of containers of the provided type." }
    { "allowed_container_types" = "'DOCKER,MESOS'" }
    { "#comment" = "## Native Log Settings ###" }
    { "#comment" = "The native log serves as a replicated database which stores the state of the" }
    { "#comment" = "scheduler, allowing for multi-master operation." }
    { "#comment" = "Size of the quorum of Aurora schedulers which possess a native log.  If running in" }
    { "#comment" = "multi-master mode, consult the following document to determine appropriate values:" }
    { "#comment" }
    { "#comment" = "https://aurora.apache.org/documentation/latest/deploying-aurora-scheduler/#replicated-log-configuration" }
    { "native_log_quorum_size" = "'1'" }
    { "#comment" = "The ZooKeeper ZNode to which Aurora will register the locations of its replicated log." }
    { "native_log_zk_group_path" = "'/aurora/replicated-log'" }
    { "#comment" = "The local directory in which an Aurora scheduler can find Aurora's replicated log." }
    { "native_log_file_path" = "'/var/lib/aurora/scheduler/db'" }
    { "#comment" = "The local directory in which Aurora schedulers will place state backups." }
    { "backup_dir" = "'/var/lib/aurora/scheduler/backups'" }
    { "#comment" = "## Thermos Settings ###" }
    { "#comment" = "The local path of the Thermos executor binary." }
    { "thermos_executor_path" = "'/usr/bin/thermos_executor'" }
    { "#comment" = "Flags to pass to the Thermos executor." }
    { "thermos_executor_flags" = "'--announcer-ensemble 127.0.0.1:2181'" } }

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

(* Comments *)
test lns get "#!/bin/bash\n#\n  #   x  y  \n###\n#A=1\n" =
  { "#comment" = "!/bin/bash" }
  { "#comment" }
  { "#comment" = "x  y" }
  { "#comment" = "##" }
  { "#comment" = "A=1" }

(* A quoted value may span lines *)
test lns get "JAVA_OPTS=\"-Xmx1g\n  -Dx=y\"\n" = { "JAVA_OPTS" = "\"-Xmx1g\n  -Dx=y\"" }

(* Arrays: one line, several per line, comments anywhere, column 0 *)
test lns get "X=(a -b=1 -c)\nY=( -d='e f' ) # c\nZ=(# first\n-g # after\n\n#\n -h\n  )\n" =
  { "X"
    { "#arg" = "a" }
    { "b" = "1" }
    { "c" } }
  { "Y"
    { "d" = "'e f'" } }
  { "Z"
    { "#comment" = "first" }
    { "g" }
    { "#comment" = "after" }
    { "#comment" }
    { "h" } }

test lns get "AURORA_FLAGS=(\n  # only a comment\n)\n" =
  { "AURORA_FLAGS"
    { "#comment" = "only a comment" } }

(* Broken or unsupported input *)
test lns get "EXTRA_SCHEDULER_ARGS=\"-a=1\n" = *
test lns get "A='x\n" = *
test lns get "AURORA_FLAGS=(\n  -a=1\n" = *
test lns get "AURORA_FLAGS=(\n  -a=1 # )\n" = *
test lns get "X=()\n" = *
test lns get "X=(\n-a\n# c\n-b\n)\n" = { "X" { "a" } { "#comment" = "c" } { "b" } }
test lns get "X=(a)b\n" = *
test lns get "A=1 2\n" = *
test lns get "echo hi\n" = *
test lns get "1A=x\n" = *
test lns get "A = 1\n" = *

(* Scalar edits *)
test lns put "A=1\nB=\"x\" # keep\n" after set "B" "\"y\"" = "A=1\nB=\"y\" # keep\n"
test lns put "A=1\nB=2\n" after set "A" "" = "A=\nB=2\n"
test lns put "A=1\n\n# b\nB=2\n" after rm "A" = "\n# b\nB=2\n"
test lns put "A=1\n" after set "EXTRA_SCHEDULER_ARGS" "\"-max_registration_delay=360mins\"" =
  "A=1\nEXTRA_SCHEDULER_ARGS=\"-max_registration_delay=360mins\"\n"
test lns put "export A=1\n" after set "A" "2" = "export A=2\n"
test lns put "A=1\n" after clear "A/@export" = "export A=1\n"
test lns put "A=1\n" after set "A" "x y" = *

(* The node's children choose: no children, a scalar (which needs a
   value); children, an array, and a value it might have is ignored *)
test lns put "A=1\n" after set "A/x" "1" = "A=(\n  -x=1\n)\n"
test lns put "A=(-x)\n" after set "A" "1" = "A=(-x)\n"
test lns put "A=1\n" after clear "A" = *

(* Array edits *)
let flags = "AURORA_FLAGS=(
  # The name of this cluster.
  -cluster_name='example'

  # The HTTP port upon which Aurora will listen.
  -http_port=8081

  # The ZooKeeper URL of the ZNode where the Mesos master has registered.
  -mesos_master_address='zk://127.0.0.1:2181/mesos'
)
"

test lns put flags after set "AURORA_FLAGS/http_port" "8082" =
  "AURORA_FLAGS=(
  # The name of this cluster.
  -cluster_name='example'

  # The HTTP port upon which Aurora will listen.
  -http_port=8082

  # The ZooKeeper URL of the ZNode where the Mesos master has registered.
  -mesos_master_address='zk://127.0.0.1:2181/mesos'
)
"

test lns put flags after
    insa "max_registration_delay" "AURORA_FLAGS/http_port" ;
    set "AURORA_FLAGS/max_registration_delay" "360mins" =
  "AURORA_FLAGS=(
  # The name of this cluster.
  -cluster_name='example'

  # The HTTP port upon which Aurora will listen.
  -http_port=8081
  -max_registration_delay=360mins

  # The ZooKeeper URL of the ZNode where the Mesos master has registered.
  -mesos_master_address='zk://127.0.0.1:2181/mesos'
)
"

test lns put flags after
    set "AURORA_FLAGS/reconciliation_initial_delay" "365days" ;
    set "AURORA_FLAGS/mesos_master_address" "'zk://localhost:1111/mesos/master'" =
  "AURORA_FLAGS=(
  # The name of this cluster.
  -cluster_name='example'

  # The HTTP port upon which Aurora will listen.
  -http_port=8081

  # The ZooKeeper URL of the ZNode where the Mesos master has registered.
  -mesos_master_address='zk://localhost:1111/mesos/master'
  -reconciliation_initial_delay=365days
)
"

test lns put flags after
    insb "max_registration_delay" "AURORA_FLAGS/cluster_name" ;
    set "AURORA_FLAGS/max_registration_delay" "360mins" =
  "AURORA_FLAGS=(
  # The name of this cluster.
  -max_registration_delay=360mins
  -cluster_name='example'

  # The HTTP port upon which Aurora will listen.
  -http_port=8081

  # The ZooKeeper URL of the ZNode where the Mesos master has registered.
  -mesos_master_address='zk://127.0.0.1:2181/mesos'
)
"

test lns put flags after rm "AURORA_FLAGS/http_port" =
  "AURORA_FLAGS=(
  # The name of this cluster.
  -cluster_name='example'

  # The HTTP port upon which Aurora will listen.

  # The ZooKeeper URL of the ZNode where the Mesos master has registered.
  -mesos_master_address='zk://127.0.0.1:2181/mesos'
)
"

test lns put flags after rm "AURORA_FLAGS/*[following-sibling::*[1][label() = 'http_port']]" ;
    rm "AURORA_FLAGS/http_port" =
  "AURORA_FLAGS=(
  # The name of this cluster.
  -cluster_name='example'

  # The ZooKeeper URL of the ZNode where the Mesos master has registered.
  -mesos_master_address='zk://127.0.0.1:2181/mesos'
)
"

test lns put "X=(a b)\n" after set "X/c" "1" = "X=(a b\n  -c=1)\n"
test lns put "X=(a b)\n" after rm "X/#arg[1]" = "X=(b)\n"
test lns put "X=(a)\n" after rm "X/#arg" = *
