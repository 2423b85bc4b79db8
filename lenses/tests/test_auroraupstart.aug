(* Tests for the AuroraUpstart lens

  The differences (a line that is not "end script", a first word that is
  not a keyword, a rest that is not "script") are written out by hand:
  Augeas computes "-" through automata and prints regexps several times
  longer, which are compiled and matched at every read and write (job
  file: 59 M instructions before, 38 M after).  The hand-written ones
  were checked against the definitions on 215,000 strings.
*)
module Test_AuroraUpstart =

let lns = AuroraUpstart.lns

(* Aurora's examples/vagrant/upstart/aurora-scheduler.conf (up to 0.19) *)
let job = "# Licensed under the Apache License, Version 2.0 (the \"License\");
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
description \"aurora scheduler\"
start on stopped rc RUNLEVEL=[2345]
respawn
post-stop exec sleep 5

# Environment variables control the behavior of the Mesos scheduler driver (libmesos).
env GLOG_v=1
env LIBPROCESS_PORT=8083
env LIBPROCESS_IP=192.168.33.7
env DIST_DIR=/home/vagrant/aurora/dist

# Flags that control the behavior of the JVM.
env JAVA_OPTS='-Djava.library.path=/usr/lib
  -Xdebug
  -Xrunjdwp:transport=dt_socket,server=y,suspend=n,address=5005
'

chdir /home/vagrant/aurora/dist/install/aurora-scheduler
exec bin/aurora-scheduler \\
  -cluster_name=devcluster \\
  -hostname=aurora.local \\
  -http_port=8081 \\
  -native_log_quorum_size=1 \\
  -zk_endpoints=localhost:2181 \\
  -mesos_master_address=zk://localhost:2181/mesos \\
  -serverset_path=/aurora/scheduler \\
  -native_log_zk_group_path=/aurora/replicated-log \\
  -native_log_file_path=/var/db/aurora \\
  -backup_dir=/var/lib/aurora/backups \\
  -thermos_executor_path=$DIST_DIR/thermos_executor.pex \\
  -global_container_mounts=/home/vagrant/aurora/examples/vagrant/config:/home/vagrant/aurora/examples/vagrant/config:ro,/home/vagrant/aurora/.auroraversion:/home/vagrant/aurora/.auroraversion:ro \\
  -thermos_executor_flags=\"--announcer-ensemble localhost:2181 --announcer-zookeeper-auth-config /home/vagrant/aurora/examples/vagrant/config/announcer-auth.json --mesos-containerizer-path=/usr/libexec/mesos/mesos-containerizer\" \\
  -allowed_container_types=MESOS,DOCKER \\
  -http_authentication_mechanism=BASIC \\
  -shiro_ini_path=etc/shiro.example.ini \\
  -tier_config=/home/vagrant/aurora/src/main/resources/org/apache/aurora/scheduler/tiers.json \\
  -mesos_role=aurora-role \\
  -populate_discovery_info=true \\
  -receive_revocable_resources=true \\
  -enable_revocable_ram=true \\
  -allow_gpu_resource=true \\
  -allow_container_volumes=true \\
  -offer_filter_duration=0secs \\
  -mesos_driver=V1_DRIVER \\
  -unavailability_threshold=1mins
"

test lns get job =
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
  { "#line" = "description \"aurora scheduler\"" }
  { "#line" = "start on stopped rc RUNLEVEL=[2345]" }
  { "#line" = "respawn" }
  { "#line" = "post-stop exec sleep 5" }
  { "#comment" = "Environment variables control the behavior of the Mesos scheduler driver (libmesos)." }
  { "#line" = "env GLOG_v=1" }
  { "#line" = "env LIBPROCESS_PORT=8083" }
  { "#line" = "env LIBPROCESS_IP=192.168.33.7" }
  { "#line" = "env DIST_DIR=/home/vagrant/aurora/dist" }
  { "#comment" = "Flags that control the behavior of the JVM." }
  { "#line" = "env JAVA_OPTS='-Djava.library.path=/usr/lib" }
  { "#line" = "  -Xdebug" }
  { "#line" = "  -Xrunjdwp:transport=dt_socket,server=y,suspend=n,address=5005" }
  { "#line" = "'" }
  { "#line" = "chdir /home/vagrant/aurora/dist/install/aurora-scheduler" }
  { "exec" = "bin/aurora-scheduler \\
  -cluster_name=devcluster \\
  -hostname=aurora.local \\
  -http_port=8081 \\
  -native_log_quorum_size=1 \\
  -zk_endpoints=localhost:2181 \\
  -mesos_master_address=zk://localhost:2181/mesos \\
  -serverset_path=/aurora/scheduler \\
  -native_log_zk_group_path=/aurora/replicated-log \\
  -native_log_file_path=/var/db/aurora \\
  -backup_dir=/var/lib/aurora/backups \\
  -thermos_executor_path=$DIST_DIR/thermos_executor.pex \\
  -global_container_mounts=/home/vagrant/aurora/examples/vagrant/config:/home/vagrant/aurora/examples/vagrant/config:ro,/home/vagrant/aurora/.auroraversion:/home/vagrant/aurora/.auroraversion:ro \\
  -thermos_executor_flags=\"--announcer-ensemble localhost:2181 --announcer-zookeeper-auth-config /home/vagrant/aurora/examples/vagrant/config/announcer-auth.json --mesos-containerizer-path=/usr/libexec/mesos/mesos-containerizer\" \\
  -allowed_container_types=MESOS,DOCKER \\
  -http_authentication_mechanism=BASIC \\
  -shiro_ini_path=etc/shiro.example.ini \\
  -tier_config=/home/vagrant/aurora/src/main/resources/org/apache/aurora/scheduler/tiers.json \\
  -mesos_role=aurora-role \\
  -populate_discovery_info=true \\
  -receive_revocable_resources=true \\
  -enable_revocable_ram=true \\
  -allow_gpu_resource=true \\
  -allow_container_volumes=true \\
  -offer_filter_duration=0secs \\
  -mesos_driver=V1_DRIVER \\
  -unavailability_threshold=1mins" }

(* script blocks, hooks, exec inside a script is part of its body *)
let scripted = "description \"x\"
pre-start script
  mkdir -p /var/lib/aurora
end script

script
  . /etc/default/aurora-scheduler
  exec /usr/bin/aurora-scheduler $EXTRA_SCHEDULER_ARGS
  # end script is not the end
end script
post-stop exec sleep 5
  exec   /bin/true
"

test lns get scripted =
  { "#line" = "description \"x\"" }
  { "pre-start script" = "  mkdir -p /var/lib/aurora\n" }
  { "script" = "  . /etc/default/aurora-scheduler\n  exec /usr/bin/aurora-scheduler $EXTRA_SCHEDULER_ARGS\n  # end script is not the end\n" }
  { "#line" = "post-stop exec sleep 5" }
  { "exec" = "/bin/true" }

test lns get "script\nend script\n" = { "script" = "" }

(* Broken input *)
test lns get "script\n  exec /bin/x\n" = *
test lns get "exec /bin/x \\\n" = *

(* Edits *)
let short = "chdir /x\nexec bin/aurora-scheduler \\\n  -cluster_name=devcluster \\\n  -http_port=8081\n"

test lns put short after set "exec" "bin/aurora-scheduler \\\n  -cluster_name=devcluster \\\n  -http_port=8082" =
  "chdir /x\nexec bin/aurora-scheduler \\\n  -cluster_name=devcluster \\\n  -http_port=8082\n"

test lns put short after rm "#line" =
  "exec bin/aurora-scheduler \\\n  -cluster_name=devcluster \\\n  -http_port=8081\n"

test lns put short after insb "#comment" "exec" ; set "#comment" "restore mode" =
  "chdir /x\n# restore mode\nexec bin/aurora-scheduler \\\n  -cluster_name=devcluster \\\n  -http_port=8081\n"

test lns put short after set "exec" "" = *
