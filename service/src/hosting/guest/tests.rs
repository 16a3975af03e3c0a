use std::io::Read;
use std::path::{Path, PathBuf};

use super::*;

fn seed_spec(keys: &[String]) -> SeedSpec<'_> {
    SeedSpec {
        instance_id: "nuri-3fa2b1c0-7",
        hostname: "nuri-3fa2b1c0-7",
        user: "nuri",
        owner_name: "Kim \"Min-su\" <script>&",
        ssh_keys: keys,
        web_path: "/7/",
    }
}

fn domain_spec<'a>(domain_type: &'a str, boot: Boot<'a>, dir: &'a Path) -> DomainSpec<'a> {
    DomainSpec {
        name: "nuri-3fa2b1c0-7",
        domain_type,
        memory_mib: 256,
        vcpus: 1,
        boot,
        disk: dir,
        seed: dir,
        ssh_port: 10022,
        http_port: 40080,
        console_log: dir,
    }
}

#[test]
fn user_data_quotes_and_escapes() {
    let keys = vec![
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDx me@\"home\"\\x".to_owned(),
        "  ".to_owned(),
    ];
    let text = user_data(&seed_spec(&keys)).unwrap();
    assert!(text.starts_with("#cloud-config\n"), "{text}");
    assert!(text.contains("\nhostname: \"nuri-3fa2b1c0-7\"\n"), "{text}");
    assert!(text.contains("\n  - name: \"nuri\"\n"), "{text}");
    assert!(text.contains(
        "\n    ssh_authorized_keys:\n      - \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDx me@\\\"home\\\"\\\\x\"\n"
    ), "{text}");
    assert!(text.contains("\nssh_pwauth: false\n"), "{text}");
    assert!(
        text.contains("    content: |\n      <!doctype html>\n"),
        "{text}"
    );
    assert!(
        text.contains("Kim &#34;Min-su&#34; &#60;script&#62;&#38;"),
        "{text}"
    );
    assert!(text.contains("<code>/7/</code>"), "{text}");
    // Every line of the page stays inside the block.
    let block: Vec<_> = text
        .lines()
        .skip_while(|l| !l.ends_with("content: |"))
        .skip(1)
        .take_while(|l| !l.starts_with("runcmd:"))
        .collect();
    assert!(block.len() > 5 && block.iter().all(|l| l.starts_with("      ")));
    assert!(block.iter().all(|l| !l.contains("<script>")), "{text}");

    let none = user_data(&seed_spec(&[])).unwrap();
    assert!(none.contains("    ssh_authorized_keys: []\n"), "{none}");
}

#[test]
fn seed_fields_are_checked() {
    let bad_key = vec!["ssh-ed25519 AAAA\nruncmd: [rm]".to_owned()];
    assert!(user_data(&seed_spec(&bad_key)).is_err());
    for (host, user) in [
        ("a b", "nuri"),
        ("ok", "Root"),
        ("ok", "root"),
        ("-x", "nuri"),
    ] {
        let spec = SeedSpec {
            hostname: host,
            user,
            ..seed_spec(&[])
        };
        assert!(user_data(&spec).is_err(), "{host} {user}");
    }
    let meta = meta_data(&seed_spec(&[])).unwrap();
    assert_eq!(
        meta,
        "instance-id: \"nuri-3fa2b1c0-7\"\nlocal-hostname: \"nuri-3fa2b1c0-7\""
    );
}

#[test]
fn seed_is_a_fat_image_labelled_cidata() {
    let dir = std::env::temp_dir().join(format!("nuri-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("seed.img");
    let keys = vec!["ssh-ed25519 AAAAC3Nza test".to_owned()];
    write_seed(&path, &seed_spec(&keys)).unwrap();
    let file = std::fs::File::open(&path).unwrap();
    assert_eq!(file.metadata().unwrap().len(), SEED_BYTES);
    let fs = fatfs::FileSystem::new(file, fatfs::FsOptions::new()).unwrap();
    assert_eq!(fs.volume_label(), "CIDATA");
    let read = |name: &str| {
        let mut s = String::new();
        fs.root_dir()
            .open_file(name)
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    assert_eq!(read("user-data"), user_data(&seed_spec(&keys)).unwrap());
    assert_eq!(read("meta-data"), meta_data(&seed_spec(&keys)).unwrap());
    drop(fs);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn domain_xml_escapes_and_fits_the_type() {
    let odd = PathBuf::from("/srv/a'b&<c>/disk.qcow2");
    let (kernel, initrd) = (Path::new("/g/vmlinuz"), Path::new("/g/initrd.img"));
    let xml = domain_xml(&domain_spec("qemu", Boot::Kernel { kernel, initrd }, &odd)).unwrap();
    assert!(
        xml.contains("<source file='/srv/a&#39;b&#38;&#60;c&#62;/disk.qcow2'/>"),
        "{xml}"
    );
    assert!(xml.contains("<kernel>/g/vmlinuz</kernel>"), "{xml}");
    assert!(
        xml.contains(&format!("<cmdline>{KERNEL_CMDLINE}</cmdline>")),
        "{xml}"
    );
    assert!(xml.contains("hostfwd=tcp:127.0.0.1:10022-:22,hostfwd=tcp:127.0.0.1:40080-:80"));
    assert!(xml.contains("xmlns:qemu="), "{xml}");

    let test = domain_xml(&domain_spec("test", Boot::Disk, Path::new("/d"))).unwrap();
    assert!(test.starts_with("<domain type='test'>"), "{test}");
    assert!(
        !test.contains("qemu:") && test.contains("<boot dev='hd'/>"),
        "{test}"
    );

    assert!(domain_xml(&domain_spec("xen", Boot::Disk, Path::new("/d"))).is_err());
    let relative = domain_xml(&domain_spec("qemu", Boot::Disk, Path::new("rel"))).unwrap();
    let cwd = std::env::current_dir().unwrap();
    assert!(
        relative.contains(&format!("'{}/rel'", cwd.display())),
        "{relative}"
    );
}

#[test]
fn the_test_driver_accepts_the_xml() {
    let conn = open_connection("test:///default").unwrap();
    let (kernel, initrd) = (Path::new("/g/vmlinuz"), Path::new("/g/initrd.img"));
    for boot in [Boot::Kernel { kernel, initrd }, Boot::Disk] {
        let xml = domain_xml(&domain_spec("test", boot, Path::new("/d/x"))).unwrap();
        let dom = conn.define_domain_xml(&xml).unwrap();
        dom.create().unwrap();
        dom.destroy().unwrap();
        dom.undefine().unwrap();
    }
    assert_eq!(domain_type_for("test:///default"), "test");
}
