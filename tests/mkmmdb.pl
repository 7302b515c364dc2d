#!/usr/bin/perl
# Write a MaxMind DB for the GeoIP tests (tests/geo.sh) with Debian's
# libmaxmind-db-writer-perl: never downloaded.
#   mkmmdb.pl OUT TYPE 'NET,country=FR,city=Paris,asn=64500,org=Name' ...
# Reserved networks (the documentation ranges the tests use) are kept.
use strict; use warnings;
use MaxMind::DB::Writer::Tree;
my ($out, $type, @nets) = @ARGV;
my %types = (country => 'map', iso_code => 'utf8_string', city => 'map',
    names => 'map', en => 'utf8_string',
    autonomous_system_number => 'uint32',
    autonomous_system_organization => 'utf8_string');
my $tree = MaxMind::DB::Writer::Tree->new(ip_version => 6, record_size => 24,
    remove_reserved_networks => 0,
    database_type => $type, languages => ['en'],
    description => { en => 'stalkerwatch test database' },
    map_key_type_callback => sub { $types{$_[0]} });
for my $n (@nets) {
    my ($net, @kv) = split /,/, $n;
    my %d;
    for my $kv (@kv) {
        my ($k, $v) = split /=/, $kv, 2;
        if ($k eq 'country') { $d{country} = { iso_code => $v } }
        elsif ($k eq 'city') { $d{city} = { names => { en => $v } } }
        elsif ($k eq 'asn') { $d{autonomous_system_number} = $v + 0 }
        elsif ($k eq 'org') { $d{autonomous_system_organization} = $v }
    }
    $tree->insert_network($net, \%d);
}
open my $fh, '>:raw', $out or die "$out: $!";
$tree->write_tree($fh);
close $fh;
