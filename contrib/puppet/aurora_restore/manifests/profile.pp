# aurora_restore::profile: keep an Aurora scheduler host in, or take it out
# of, an aurora-restore profile (by default "recovery", the partially
# disabled state of Aurora's backup-restore procedure), from Puppet.
#
# Puppet decides through the tool's exit statuses, nothing else:
#   ensure => present  runs `aurora-restore apply PROFILE`
#                      unless `aurora-restore verify PROFILE` exits 0
#                      (verify exits 2 on drift, so Puppet applies; any
#                      other status also makes Puppet run apply, which then
#                      fails with the same message and exit status)
#   ensure => absent   runs `aurora-restore revert` while the tool's journal
#                      exists (a profile is applied)
# A failing run is reported by Puppet as "returned N instead of one of [0]"
# with the tool's one-line message in the log (65 bad input, 3 refused...).
#
#   aurora_restore::profile { 'recovery':
#     ensure => present,
#     reason => 'restore, ticket 4711',
#   }
#
# Puppet does the per-host part only. The order across scheduler hosts
# (stop, apply, restart, log, leader, stage, commit, revert) is
# the playbook aurora.restore.restore's job (contrib/ansible/playbooks/restore.yml), or the operator's.
define aurora_restore::profile (
  Enum['present', 'absent'] $ensure = 'present',
  String $profile = $title,
  String $binary = '/usr/bin/aurora-restore',
  String $root = '/',
  String $reason = 'puppet',
  Array[String] $options = [],
) {
  $tool = shellquote([$binary, '--root', $root] + $options)

  if $ensure == 'present' {
    exec { "aurora-restore apply ${profile}":
      command   => "${tool} apply ${shellquote($profile)} --reason ${shellquote($reason)}",
      unless    => "${tool} verify ${shellquote($profile)}",
      logoutput => true,
    }
  } else {
    exec { "aurora-restore revert ${profile}":
      command   => "${tool} revert",
      onlyif    => shellquote('/usr/bin/test', '-e', "${root}/var/lib/aurora-restore/journal.json"),
      logoutput => true,
    }
  }
}
